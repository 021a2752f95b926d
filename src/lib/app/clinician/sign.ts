/**
 * Signing and sending a clinician's transactions (SPEC §2, §4). A
 * {@link Signer} hides where the Ed25519 key lives: a non-extractable
 * WebCrypto key in the browser, raw bytes in tests. Every action ends here:
 * the payload is drafted with a random nonce and the node's clock, signed,
 * and handed to the node, whose answer becomes a coded result the screens
 * word in the person's language.
 */
import { toHex } from '../../core/bytes';
import type { RuleCode } from '../../core/errors';
import type { FieldProblem } from '../../core/record';
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

/**
 * Why an action stopped before the ledger saw it: the chain is not open
 * yet, the node refused without a rule, its pool is full, the form or a file
 * is wrong (`problems` name the fields), storing failed, or one of the app's
 * own checks (names, roles, a passphrase change). Screens word each code
 * from the catalogue (`action`, i18n/en/actions.ts).
 */
export type AppRefusal =
  | 'NOT_READY'
  | 'REFUSED'
  | 'POOL_FULL'
  | 'FORM'
  | 'FILE_TYPE'
  | 'WAIT_FOR_CONSENT'
  | 'WAIT_FOR_RECORD'
  | 'STORE_FAILED'
  | 'KEY_STORE_FAILED'
  | 'HOSPITAL_NAME_EMPTY'
  | 'NAME_TOO_LONG'
  | 'ALREADY_APPLIED'
  | 'STAFF_NAME'
  | 'ONLY_AUTHORITY_CERTIFIES'
  | 'ONLY_AUTHORITY_REMOVES'
  | 'OTHER_HOSPITAL'
  | 'NOTE_TOO_LONG'
  | 'NOT_REGISTERED_YET'
  | 'NOT_YOURS'
  | 'ALREADY_ERASED'
  | 'NOT_CURRENT_KEYS'
  | 'SAME_PASSPHRASE'
  | 'PASSPHRASE_USED'
  | 'ROTATION_UNFINISHED'
  | 'WRITES_PENDING'
  | 'RECORD_NOT_SYNCED'
  | 'REWRAP_MISSING';

/** A refused action: a ledger rule's code or the app's, the values its sentence shows, and for FORM the fields at fault. */
export interface ActionFailure {
  readonly ok: false;
  readonly code: RuleCode | AppRefusal;
  readonly args?: readonly (string | number)[];
  readonly problems?: readonly FieldProblem[];
}

export type ActionResult = { readonly ok: true; readonly id: string } | ActionFailure;

/** A refusal by code (and the values its sentence shows). */
export const refusal = (code: RuleCode | AppRefusal, ...args: (string | number)[]): ActionFailure =>
  args.length > 0 ? { ok: false, code, args } : { ok: false, code };

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
export async function signDraft(
  network: Uint8Array,
  signer: Signer,
  draft: { kind: Tx['kind']; nonce: number; time: number; payload: Uint8Array },
): Promise<Tx> {
  const unsigned = { version: TX_VERSION, kind: draft.kind, author: signer.publicKey, nonce: draft.nonce, time: draft.time, payload: draft.payload };
  const signature = await signer.sign(txSigningMessage(network, txId(unsigned)));
  return { ...unsigned, signature };
}

/** Sends a signed transaction and turns the node's answer into an {@link ActionResult}. */
export async function send(ctx: ClinicianContext, tx: Tx): Promise<ActionResult> {
  const r = await ctx.node.submit(tx);
  if (r.status === 'added' || r.status === 'duplicate' || r.status === 'in-chain') return { ok: true, id: r.key };
  if (r.status === 'pool-full') return refusal('POOL_FULL');
  return refusal(r.code ?? 'REFUSED');
}

/** Drafts, signs and sends a payload. */
export async function submitPayload(ctx: ClinicianContext, signer: Signer, payload: Payload): Promise<ActionResult> {
  const network = networkOf(ctx.node);
  if (!ctx.node.ledger() || !network) return refusal('NOT_READY');
  const tx = await signDraft(network, signer, { kind: payload.kind, nonce: randomNonce(ctx.random), time: ctx.node.now(), payload: encodePayload(payload) });
  return send(ctx, tx);
}

/** Hex of a signer's public key: its id on the ledger. */
export const signerId = (s: Signer): string => toHex(s.publicKey);
