/**
 * The read-only test handle (issue 5): `window.medchain` with `status()`,
 * `verifyChain()` and `links()`, for multi-tab test tooling and the curious operator. It
 * is frozen and not writable: page script can read the node's state through
 * it, never change it, and it carries no key or payload.
 */
import type { LinkReport } from '../adapters/net/link-report';
import type { NodeStatus, VerifyResult } from './types';

export interface MedchainHandle {
  status(): NodeStatus;
  verifyChain(): Promise<VerifyResult>;
  /** The writer tab's links: relays, TURN, each peer direct or relayed (null in a follower tab). */
  links(): LinkReport | null;
}

/**
 * Puts the handle on `target` (window) as a frozen, non-writable property.
 * It stays configurable because one page may boot its node more than once
 * (a hospital's node restarts to vote once the hospital is admitted; a
 * person leaves one network and joins another): the latest boot's handle
 * replaces the earlier one instead of the boot failing.
 */
export function exposeHandle(target: object, source: MedchainHandle): MedchainHandle {
  const handle: MedchainHandle = Object.freeze({
    status: () => source.status(),
    verifyChain: () => source.verifyChain(),
    links: () => source.links(),
  });
  Object.defineProperty(target, 'medchain', { value: handle, writable: false, configurable: true, enumerable: true });
  return handle;
}
