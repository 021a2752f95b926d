/**
 * What a node says of itself in its signed `hello` envelope (SPEC §6): its
 * role and the height of its tip, so the app can show who is online before
 * (and without) a data channel. The text is the envelope's payload, read
 * from untrusted peers: {@link decodeStatus} returns null for anything but
 * the one canonical form `role:height` (decimal, no leading zeros).
 */
import { NodeRole } from '../../core/net/messages';

export interface NodeStatus {
  readonly role: NodeRole;
  /** Height of the node's active tip. */
  readonly height: number;
}

const ROLES: ReadonlySet<number> = new Set(Object.values(NodeRole));
const FORM = /^([1-9][0-9]{0,2}):(0|[1-9][0-9]{0,14})$/;

export function encodeStatus(s: NodeStatus): string {
  return `${s.role}:${s.height}`;
}

export function decodeStatus(text: string): NodeStatus | null {
  const m = FORM.exec(text);
  if (!m) return null;
  const role = Number(m[1]);
  const height = Number(m[2]);
  if (!ROLES.has(role) || !Number.isSafeInteger(height)) return null;
  return { role: role as NodeRole, height };
}
