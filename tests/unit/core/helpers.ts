/**
 * Small shared builders for the core's unit tests: deterministic keys, signed
 * transactions, mined genesis and child blocks, and block mutations. Nothing
 * here reads a clock or real randomness; every test uses the fixed {@link NOW}.
 */
import { type Block, blockHash, encodeBlock, txRootOf } from '../../../src/lib/core/block';
import { toHex } from '../../../src/lib/core/bytes';
import { type BlockNode, ChainState, type ChainStateOptions } from '../../../src/lib/core/chain';
import { targetFromBits } from '../../../src/lib/core/compact';
import { DEMO_START_TIME } from '../../../src/lib/core/demo';
import type { BlockHeader } from '../../../src/lib/core/header';
import { type ChainParams, TEST_PARAMS } from '../../../src/lib/core/params';
import { checkProofOfWork } from '../../../src/lib/core/pow';
import { Prng } from '../../../src/lib/core/prng';
import { nobleVerifier, publicKeyOf, type SignatureVerifier } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from '../../../src/lib/core/template';
import { GENESIS_SIGNING_NETWORK, type Tx, TxKind, txId } from '../../../src/lib/core/tx';
import { noStateRules } from '../../../src/lib/core/rules';

/** Start of every test chain (the demo epoch, so times look like demo chains). */
export const T0 = DEMO_START_TIME;
/** The fixed clock of every test: far enough after T0 that no test block is "too new". */
export const NOW = DEMO_START_TIME + 1_000_000;
/** Spacing that keeps TEST_PARAMS' bits at the limit across retargets (actual == expected). */
export const SPACING = TEST_PARAMS.targetSpacing;

export interface Key {
  readonly secret: Uint8Array;
  readonly pub: Uint8Array;
}

/** `n` Ed25519 key pairs derived from a seeded generator. */
export function makeKeys(seed: string, n: number): Key[] {
  const prng = new Prng(`keys/${seed}`);
  return Array.from({ length: n }, () => {
    const secret = prng.bytes(32);
    return { secret, pub: publicKeyOf(secret) };
  });
}

/** Keys used by default in the builders. */
export const [ALICE, BOB, CAROL, MINER_A, MINER_B] = makeKeys('default', 5) as [Key, Key, Key, Key, Key];

let txCounter = 0;

/**
 * A signed transaction. `payload` is bytes or a length (filled with a
 * counter-dependent pattern). Each call gets a fresh nonce unless one is given,
 * so two calls never build the same transaction by accident. It is signed for
 * `network`: the default test network ({@link TEST_NETWORK}) unless told
 * otherwise (`GENESIS_SIGNING_NETWORK` for a genesis block's own transactions).
 */
export function makeTx(
  kind: TxKind,
  author: Key,
  time: number,
  payload: Uint8Array | number = 16,
  nonce: number = ++txCounter,
  network: Uint8Array = TEST_NETWORK,
): Tx {
  const bytes = typeof payload === 'number' ? Uint8Array.from({ length: payload }, (_, i) => (i * 31 + nonce) & 0xff) : payload;
  return signTx(network, { kind, nonce, time, payload: bytes }, author.secret, author.pub);
}

/** A transaction for a genesis block itself (signed for `GENESIS_SIGNING_NETWORK`, see tx.ts signingNetwork). */
export function genesisTx(kind: TxKind, author: Key, time: number, payload: Uint8Array | number = 16): Tx {
  return makeTx(kind, author, time, payload, ++txCounter, GENESIS_SIGNING_NETWORK);
}

/** A record transaction by `author` (default ALICE) at `time`, for `network` (default {@link TEST_NETWORK}). */
export function recordTx(time: number, author: Key = ALICE, payload: Uint8Array | number = 16, network: Uint8Array = TEST_NETWORK): Tx {
  return makeTx(TxKind.AddRecord, author, time, payload, ++txCounter, network);
}

export interface GenesisOptions {
  readonly txs?: readonly Tx[];
  readonly time?: number;
  readonly miner?: Key;
  /** Fields written over the template before mining (to build bad genesis blocks). */
  readonly header?: Partial<BlockHeader>;
}

/** A mined genesis block for `params`. */
export function makeGenesis(params: ChainParams = TEST_PARAMS, opts: GenesisOptions = {}): Block {
  const tpl = genesisTemplate(params, opts.txs ?? [], opts.time ?? T0, (opts.miner ?? MINER_A).pub);
  return mineBlock({ header: { ...tpl.header, ...opts.header }, txs: tpl.txs });
}

/** The network (genesis hash) of the default test genesis `makeGenesis()`: what {@link makeTx} signs for by default. */
export const TEST_NETWORK: Uint8Array = blockHash(makeGenesis());

/** A chain state on a fresh genesis (or the given one), at the fixed clock. */
export function newChain(params: ChainParams = TEST_PARAMS, genesis: Block = makeGenesis(params), options: Partial<ChainStateOptions> = {}): ChainState {
  return new ChainState(params, genesis, NOW, { ...MECH, ...options });
}

/**
 * The chain-mechanics tests use transactions with opaque payloads, so they
 * isolate fork choice from the ledger's consent rules (tested on their own).
 */
export const MECH = { rules: noStateRules } as const;

export interface ExtendOptions {
  readonly txs?: readonly Tx[];
  /** Seconds after the parent's time (default the target spacing). */
  readonly timeDelta?: number;
  readonly miner?: Key;
  /** Fields written over the template before mining: the block still meets the target its bits claim. */
  readonly header?: Partial<BlockHeader>;
}

/**
 * A mined child of `parent` (not added to the chain). The bits come from the
 * retarget rule unless overridden; the time is the parent's plus `timeDelta`
 * (raised to median-time-past + 1 by the template unless `header.time` is given).
 */
export function extend(chain: ChainState, parent: BlockNode, opts: ExtendOptions = {}): Block {
  const time = parent.header.time + (opts.timeDelta ?? SPACING);
  const tpl = blockTemplate(chain, parent, opts.txs ?? [], time, (opts.miner ?? MINER_A).pub);
  return mineBlock({ header: { ...tpl.header, ...opts.header }, txs: tpl.txs });
}

/** Adds a block that must be accepted; returns its node. */
export function addOk(chain: ChainState, block: Block, now: number = NOW): BlockNode {
  const r = chain.addBlock(block, now);
  if (r.status !== 'accepted') throw new Error(`expected accepted, got ${r.status}${r.status === 'invalid' ? ` ${r.error.code}` : ''}`);
  return r.node;
}

/** Extends the tip `n` times (each block accepted); returns the new nodes, lowest first. */
export function grow(chain: ChainState, n: number, opts: ExtendOptions = {}): BlockNode[] {
  const out: BlockNode[] = [];
  for (let i = 0; i < n; i++) out.push(addOk(chain, extend(chain, chain.tip, opts)));
  return out;
}

export interface Mutation {
  readonly header?: Partial<BlockHeader>;
  readonly txs?: readonly Tx[] | ((txs: readonly Tx[]) => readonly Tx[]);
  /** Recompute the header's root for the new transactions. */
  readonly fixRoot?: boolean;
  /** Mine again after the change so the block still meets its target (needs valid, easy bits). */
  readonly remine?: boolean;
}

/** A copy of `block` with the given changes. */
export function mutate(block: Block, m: Mutation): Block {
  const txs = typeof m.txs === 'function' ? m.txs(block.txs) : (m.txs ?? block.txs);
  let header: BlockHeader = { ...block.header, ...m.header };
  if (m.fixRoot) header = { ...header, txRoot: txRootOf(txs) };
  const out: Block = { header, txs };
  return m.remine ? mineBlock({ header: { ...header, nonce: 0 }, txs }) : out;
}

/** A copy of `block` with a nonce whose hash misses the target (the header is otherwise unchanged). */
export function withHighHash(block: Block): Block {
  for (let nonce = block.header.nonce + 1; ; nonce++) {
    const b = { header: { ...block.header, nonce: nonce >>> 0 }, txs: block.txs };
    if (!meetsTarget(b)) return b;
  }
}

/** Whether the block's header hash meets the target of its bits. */
export function meetsTarget(block: Block): boolean {
  return checkProofOfWork(blockHash(block), block.header.bits);
}

/** Whether `bits` is a valid target easy enough to mine in a test (at most ~2^12 hashes). */
export function easyBits(bits: number, params: ChainParams): boolean {
  const t = targetFromBits(bits);
  return t !== null && t <= params.powLimit && t >= params.powLimit >> 4n;
}

/** Hex key of a block. */
export function keyOf(block: Block): string {
  return toHex(blockHash(block));
}

/** Hex id of a transaction. */
export function txKey(tx: Tx): string {
  return toHex(txId(tx));
}

/** Encoded size of a block. */
export function sizeOf(block: Block): number {
  return encodeBlock(block).length;
}

/**
 * Builds blocks with `make(attempt)` until one satisfies `accept` (used to
 * decide equal-work ties by grinding the time).
 */
export function grind(make: (attempt: number) => Block, accept: (b: Block) => boolean): Block {
  for (let i = 0; i < 10_000; i++) {
    const b = make(i);
    if (accept(b)) return b;
  }
  throw new Error('grind: no block found');
}

/** A real Ed25519 verifier that remembers its answers (the same triple is verified once). */
export function cachingVerifier(inner: SignatureVerifier = nobleVerifier): SignatureVerifier & { calls: number } {
  const memo = new Map<string, boolean>();
  const v = {
    calls: 0,
    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
      const k = toHex(signature) + toHex(message) + toHex(publicKey);
      let r = memo.get(k);
      if (r === undefined) {
        v.calls++;
        r = inner.verify(signature, message, publicKey);
        memo.set(k, r);
      }
      return r;
    },
  };
  return v;
}

/** A copy of `bytes` with bit `bit` of byte `pos` flipped. */
export function flipBit(bytes: Uint8Array, pos: number, bit: number): Uint8Array {
  const out = bytes.slice();
  out[pos] = out[pos]! ^ (1 << bit);
  return out;
}
