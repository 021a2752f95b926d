/**
 * Network parameters as data (SPEC §5, issue 2): the retarget window, block
 * spacing, clamp, proof-of-work limit and every explicit limit. Two sets are
 * shipped: Bitcoin's mainnet retarget parameters (with which the retarget
 * function must reproduce Bitcoin Core exactly) and medchain's default network,
 * whose spacing is seconds, fit for clinical use.
 */

export interface ChainParams {
  /** Stable name, written into chain files. */
  readonly id: string;
  /** n: blocks between difficulty adjustments (the paper's "every 2016 blocks"). */
  readonly retargetInterval: number;
  /** Target seconds between blocks. */
  readonly targetSpacing: number;
  /**
   * Spacings one retarget window is expected to take. A window runs from
   * block h−n to block h−1: n blocks but n−1 intervals. Bitcoin expects n
   * (its known off-by-one, kept so its results are reproduced exactly); with
   * a short window that bias would raise the difficulty by 1/(n−1) every
   * window, so medchain's own networks expect n−1.
   */
  readonly expectedIntervals: number;
  /** The actual timespan is clamped to [expected / clamp, expected × clamp]. */
  readonly clampFactor: number;
  /** The easiest target allowed (a full 256-bit value, as Bitcoin's powLimit). */
  readonly powLimit: bigint;
  /** Compact bits of the genesis block. */
  readonly genesisBits: number;
  /** A block's time must be after the median of this many previous blocks. */
  readonly medianTimeSpan: number;
  /** How far past the node's clock a block's timestamp may be, in seconds. */
  readonly maxFutureSeconds: number;
  /** Largest encoded block, bytes. */
  readonly maxBlockBytes: number;
  /** Most transactions in one block. */
  readonly maxTxPerBlock: number;
  /** Largest encoded transaction, bytes. */
  readonly maxTxBytes: number;
  /** Most blocks with an unknown parent kept aside. */
  readonly maxOrphans: number;
  /** Seconds an orphan is kept before it is dropped. */
  readonly orphanExpirySeconds: number;
  /** Most transactions waiting in the pending pool. */
  readonly maxPendingTxs: number;
}

/** Bitcoin mainnet's retarget parameters (chainparams.cpp). Used to prove the retarget rule. */
export const BITCOIN_PARAMS: ChainParams = Object.freeze({
  id: 'bitcoin-mainnet',
  retargetInterval: 2016,
  targetSpacing: 600,
  expectedIntervals: 2016,
  clampFactor: 4,
  powLimit: (1n << 224n) - 1n,
  genesisBits: 0x1d00ffff,
  medianTimeSpan: 11,
  maxFutureSeconds: 2 * 60 * 60,
  maxBlockBytes: 4_000_000,
  maxTxPerBlock: 100_000,
  maxTxBytes: 400_000,
  maxOrphans: 100,
  orphanExpirySeconds: 20 * 60,
  maxPendingTxs: 300_000,
});

/**
 * medchain's default network. A block every 5 seconds, retargeted every 10
 * blocks so the difficulty follows the hospitals' real mining power within a
 * minute; the limit is easy because authorisation rests on signatures, not on
 * proof of work (SPEC §5). Blocks stay well under the data-channel limits once
 * chunked; large record bodies live in the blob store.
 */
export const DEFAULT_PARAMS: ChainParams = Object.freeze({
  id: 'medchain-v1',
  retargetInterval: 10,
  targetSpacing: 5,
  expectedIntervals: 9,
  clampFactor: 4,
  powLimit: (1n << 255n) - 1n,
  genesisBits: 0x207fffff,
  medianTimeSpan: 11,
  maxFutureSeconds: 120,
  maxBlockBytes: 512 * 1024,
  maxTxPerBlock: 500,
  maxTxBytes: 64 * 1024,
  maxOrphans: 64,
  orphanExpirySeconds: 600,
  maxPendingTxs: 20_000,
});

/**
 * A network for tests: a small retarget window and a limit of about 256
 * hashes per block, so that a changed header almost never still meets its
 * target while mining stays fast.
 */
export const TEST_PARAMS: ChainParams = Object.freeze({
  ...DEFAULT_PARAMS,
  id: 'medchain-test',
  retargetInterval: 4,
  expectedIntervals: 3,
  powLimit: (1n << 248n) - 1n,
  genesisBits: 0x2000ffff,
  maxOrphans: 8,
});

/** Every shipped parameter set by id. */
export const KNOWN_PARAMS: ReadonlyMap<string, ChainParams> = new Map([BITCOIN_PARAMS, DEFAULT_PARAMS, TEST_PARAMS].map((p) => [p.id, p]));

/** Looks up a shipped parameter set; `bitcoin` and `default` are accepted as short names. */
export function paramsByName(name: string): ChainParams | null {
  if (name === 'bitcoin') return BITCOIN_PARAMS;
  if (name === 'default') return DEFAULT_PARAMS;
  if (name === 'test') return TEST_PARAMS;
  return KNOWN_PARAMS.get(name) ?? null;
}
