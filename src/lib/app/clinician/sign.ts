/**
 * Signing and sending a clinician's transactions (SPEC §2, §4). A
 * {@link Signer} hides where the Ed25519 key lives: a non-extractable
 * WebCrypto key in the browser, raw bytes in tests. Every action ends here:
 * the payload is drafted with a random nonce and the node's clock, signed,
 * and handed to the node, whose answer becomes a clear, coded result.
 */
import { toHex } from '../../core/bytes';
import type { RuleCode } from '../../core/errors';
import { type Payload, encodePayload } from '../../core/payloads';
import type { RandomBytes } from '../../core/record-crypto';
import { sign } from '../../core/signature';
import { TX_VERSION, type Tx, txId, txSigningMessage } from '../../core/tx';
import type { NodeAccess } from '../node-access';

/** Who signs: a public key and a way to sign a message with its secret. */
export interface Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A signer over raw secret bytes (tests, and browsers without WebCrypto Ed25519). */
export function rawSigner(secret: Uint8Array, publicKey: Uint8Array): Signer {
  return { publicKey, sign: async (message) => sign(message, secret) };
}

/** What every clinician action needs: the node and a source of randomness. */
export interface ClinicianContext {
  readonly node: NodeAccess;
  readonly random: RandomBytes;
}

export type ActionResult = { readonly ok: true; readonly id: string } | { readonly ok: false; readonly code: RuleCode | 'NOT_READY' | 'REFUSED'; readonly message: string };

/** A random 53-bit transaction nonce. */
export function randomNonce(random: RandomBytes): number {
  const b = random(8);
  const v = new DataView(b.buffer, b.byteOffset, 8);
  return (v.getUint32(0) & 0x1fffff) * 2 ** 32 + v.getUint32(4);
}

/**
 * The network this device's node is on: its genesis hash, which every
 * signature made here binds (SPEC §5), so nothing signed on this network can
 * be replayed on another. Null until the node has opened its chain.
 */
export function networkOf(node: NodeAccess): Uint8Array | null {
  return node.chain()?.genesis.hash ?? null;
}

/** Signs an already drafted transaction body for `network` (see {@link networkOf}). */
export async function signDraft(network: Uint8Array, signer: Signer, draft: { kind: Tx['kind']; nonce: number; time: number; payload: Uint8Array }): Promise<Tx> {
  const unsigned = { version: TX_VERSION, kind: draft.kind, author: signer.publicKey, nonce: draft.nonce, time: draft.time, payload: draft.payload };
  const signature = await signer.sign(txSigningMessage(network, txId(unsigned)));
  return { ...unsigned, signature };
}

/** What the rules' refusals mean to a clinician; other codes keep the node's own reason. */
const PLAIN: Partial<Record<RuleCode, string>> = {
  KEY_IN_USE: 'These keys already belong to someone on this network (a patient, a hospital or staff).',
  UNKNOWN_HOSPITAL: 'That hospital is not an admitted member of this network.',
  UNKNOWN_PATIENT: 'That patient is not registered on this network yet.',
  UNKNOWN_STAFF: 'That person is not active staff of your hospital.',
  NOT_AUTHORISED: 'You may not do this: only the hospital’s authority or its active staff may act for it.',
  NO_CONSENT: 'The patient has not given your hospital consent (or it has expired or was revoked).',
  OUT_OF_SCOPE: 'The patient’s consent does not cover this kind of record, so your hospital cannot add it.',
  ALREADY_DONE: 'This was already done.',
  BAD_PROOF: 'The enrolment code was made for another hospital or was altered; ask for a new one.',
  BAD_READERS: 'Consent changed while the record was being sealed; please add it again.',
  BAD_STAFF_WRAPS: 'The staff list changed meanwhile; please try the removal again.',
};

/** Sends a signed transaction and turns the node's answer into an {@link ActionResult}. */
export async function send(ctx: ClinicianContext, tx: Tx): Promise<ActionResult> {
  const r = await ctx.node.submit(tx);
  if (r.status === 'added' || r.status === 'duplicate' || r.status === 'in-chain') return { ok: true, id: r.key };
  if (r.status === 'pool-full') return { ok: false, code: 'REFUSED', message: 'This device holds too many unsent transactions; try again once it has synced.' };
  return { ok: false, code: r.code ?? 'REFUSED', message: (r.code && PLAIN[r.code]) || r.reason };
}

/** Drafts, signs and sends a payload. */
export async function submitPayload(ctx: ClinicianContext, signer: Signer, payload: Payload): Promise<ActionResult> {
  const network = networkOf(ctx.node);
  if (!ctx.node.ledger() || !network) return { ok: false, code: 'NOT_READY', message: 'This device has not opened its copy of the chain yet.' };
  const tx = await signDraft(network, signer, { kind: payload.kind, nonce: randomNonce(ctx.random), time: ctx.node.now(), payload: encodePayload(payload) });
  return send(ctx, tx);
}

/** Hex of a signer's public key: its id on the ledger. */
export const signerId = (s: Signer): string => toHex(s.publicKey);
