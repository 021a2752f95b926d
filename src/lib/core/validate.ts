/**
 * Block validation in three stages, as btcd's blockchain/validate.go:
 * 1. {@link checkBlockSanity}: the block alone (cheap checks first, signatures last);
 * 2. {@link checkBlockContext}: against its parent (link, height, difficulty, time);
 * 3. {@link checkBlockState}: against the chain state of its branch (replays).
 * Each rule has one comment and one {@link RuleCode}; a failure throws a
 * {@link RuleError} naming the block and the rule, which the chain state turns
 * into a result. Authorisation rests on signatures, never on proof of work
 * (SPEC §5).
 */
import type { Block } from './block';
import { txRootOf } from './block';
import { bytesEqual, toHex } from './bytes';
import { targetFromBits } from './compact';
import { RuleError, type RuleCode } from './errors';
import { HEADER_VERSION } from './header';
import { ZERO_HASH } from './hash';
import type { ChainParams } from './params';
import { hashMeetsTarget, targetBytes } from './pow';
import { requiredBits } from './retarget';
import type { SignatureVerifier } from './signature';
import { TX_VERSION, encodeTx, isTxKind, txId, txSigningMessage, type Tx } from './tx';

/** What validation needs from outside: parameters, the injected clock, a verifier and the network signed for. */
export interface ValidationContext {
  readonly params: ChainParams;
  /** The node's clock, seconds since 1970 (injected: the core reads no clock). */
  readonly now: number;
  readonly verifier: SignatureVerifier;
  /**
   * The network every signature must bind: the chain's genesis hash, or
   * `GENESIS_SIGNING_NETWORK` while the genesis block itself is checked
   * (`signingNetwork` in tx.ts).
   */
  readonly network: Uint8Array;
}

function fail(code: RuleCode, message: string, block: Block, hash: Uint8Array): never {
  throw new RuleError(code, `${message} (${code})`, block.header.height, hash);
}

/** Encoded size of a transaction, bytes. */
export function txSize(tx: Tx): number {
  return encodeTx(tx).length;
}

/**
 * Structural rules of one transaction on its own, shared by blocks and the
 * pending pool. Returns a reason or null.
 */
export function checkTxStructure(tx: Tx, params: ChainParams): string | null {
  if (tx.version !== TX_VERSION) return `unknown transaction version ${tx.version}`;
  if (!isTxKind(tx.kind)) return `unknown transaction kind ${tx.kind}`;
  const size = txSize(tx);
  if (size > params.maxTxBytes) return `transaction of ${size} bytes over the limit ${params.maxTxBytes}`;
  return null;
}

/**
 * Whether the author's signature over `network` and the transaction id
 * verifies: a transaction signed for another network (another genesis) fails
 * here exactly as a forged one does (SPEC §5).
 */
export function checkTxSignature(tx: Tx, verifier: SignatureVerifier, network: Uint8Array, id = txId(tx)): boolean {
  return verifier.verify(tx.signature, txSigningMessage(network, id), tx.author);
}

/**
 * Stage 1: rules that need nothing but the block, its hash, its encoded size
 * and the clock.
 */
export function checkBlockSanity(block: Block, hash: Uint8Array, encodedSize: number, ctx: ValidationContext): void {
  const { header, txs } = block;
  const { params } = ctx;
  // The header version must be one this code knows.
  if (header.version !== HEADER_VERSION) fail('BAD_VERSION', `unknown header version ${header.version}`, block, hash);
  // The compact target must decode to a positive 256-bit value within the network's limit.
  const target = targetFromBits(header.bits);
  if (target === null || target > params.powLimit) fail('BAD_BITS', `bits 0x${header.bits.toString(16)} are not a valid target for ${params.id}`, block, hash);
  // The header hash must meet the target its bits claim.
  if (!hashMeetsTarget(hash, targetBytes(target))) fail('HIGH_HASH', 'proof of work does not meet its target', block, hash);
  // The timestamp may not run ahead of our clock by more than the allowed drift.
  if (header.time > ctx.now + params.maxFutureSeconds)
    fail('TIME_TOO_NEW', `timestamp ${header.time} is more than ${params.maxFutureSeconds}s after now`, block, hash);
  // The encoded block must fit the network's block size limit.
  if (encodedSize > params.maxBlockBytes) fail('BLOCK_TOO_LARGE', `block of ${encodedSize} bytes over the limit ${params.maxBlockBytes}`, block, hash);
  // The number of transactions must fit the network's limit.
  if (txs.length > params.maxTxPerBlock) fail('TOO_MANY_TXS', `${txs.length} transactions over the limit ${params.maxTxPerBlock}`, block, hash);
  const ids: Uint8Array[] = [];
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i]!;
    // Every transaction must be well formed on its own.
    const why = checkTxStructure(tx, params);
    if (why !== null) fail('BAD_TX', `transaction ${i}: ${why}`, block, hash);
    // No transaction may be dated after its block's time plus the allowed drift.
    if (tx.time > header.time + params.maxFutureSeconds) fail('BAD_TX_TIME', `transaction ${i} is dated after its block`, block, hash);
    ids.push(txId(tx));
  }
  // The header must commit to exactly these transactions in this order.
  if (!bytesEqual(txRootOf(txs), header.txRoot)) fail('BAD_TX_ROOT', 'transactions root does not match', block, hash);
  // A transaction may appear only once in a block.
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    const key = toHex(ids[i]!);
    if (seen.has(key)) fail('DUPLICATE_TX', `transaction ${i} appears twice`, block, hash);
    seen.add(key);
  }
  // Every transaction must carry its author's valid signature for this network (checked last: the costliest rule).
  for (let i = 0; i < txs.length; i++)
    if (!checkTxSignature(txs[i]!, ctx.verifier, ctx.network, ids[i])) fail('BAD_TX_SIGNATURE', `transaction ${i} has an invalid signature`, block, hash);
}

/** What stage 2 needs to know of the parent and its ancestors. */
export interface ParentView {
  readonly hash: Uint8Array;
  readonly height: number;
  readonly bits: number;
  readonly time: number;
  /** Median time of the parent and up to medianTimeSpan−1 of its ancestors. */
  readonly medianTimePast: number;
  /** Time of the ancestor at `height` on the parent's branch. */
  ancestorTime(height: number): number;
}

/** Stage 2: rules against the parent. */
export function checkBlockContext(block: Block, hash: Uint8Array, parent: ParentView, ctx: ValidationContext): void {
  const { header } = block;
  // The block must name its parent by hash.
  if (!bytesEqual(header.prevHash, parent.hash)) fail('BAD_PREV', 'previous hash does not name the parent', block, hash);
  // Heights count up by one from the parent.
  if (header.height !== parent.height + 1) fail('BAD_HEIGHT', `height ${header.height} after parent height ${parent.height}`, block, hash);
  // The bits must be exactly what the paper's retarget rule gives.
  const expected = requiredBits(ctx.params, parent, (h) => parent.ancestorTime(h));
  if (header.bits !== expected) fail('BAD_DIFFICULTY', `bits 0x${header.bits.toString(16)}, expected 0x${expected.toString(16)}`, block, hash);
  // The time must be after the median of the previous blocks' times.
  if (header.time <= parent.medianTimePast) fail('TIME_TOO_OLD', `timestamp ${header.time} not after median time ${parent.medianTimePast}`, block, hash);
}

/** What stage 3 needs of the chain state on the block's branch. */
export interface StateView {
  /** Whether a transaction id is already confirmed on the branch ending at the parent. */
  hasTx(txIdHex: string): boolean;
}

/** Stage 3: rules against the chain state of the block's branch. */
export function checkBlockState(block: Block, hash: Uint8Array, state: StateView): void {
  for (let i = 0; i < block.txs.length; i++) {
    // A transaction already confirmed on this branch cannot be confirmed again (replay).
    if (state.hasTx(toHex(txId(block.txs[i]!)))) fail('TX_ALREADY_IN_CHAIN', `transaction ${i} is already in the chain`, block, hash);
  }
}

/** The rules a genesis block must meet in place of stages 2 and 3. */
export function checkGenesis(block: Block, hash: Uint8Array, ctx: ValidationContext): void {
  const { header } = block;
  // A genesis block is at height 0 with an all-zero previous hash and the network's genesis bits.
  if (header.height !== 0 || !bytesEqual(header.prevHash, ZERO_HASH) || header.bits !== ctx.params.genesisBits)
    fail('BAD_GENESIS', 'not a genesis block of this network', block, hash);
}

/**
 * Median of the given times as Bitcoin's GetMedianTimePast: sort, take the
 * element at index ⌊count/2⌋.
 */
export function medianTime(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
