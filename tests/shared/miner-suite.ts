/**
 * The miner's shared test suite (SPEC §5, §9: one suite, every adapter): the
 * same cases run in Node against the in-memory twin and the worker protocol
 * over a MessageChannel (tests/unit/adapters/miner/), and in Chromium against
 * the real Web Worker (tests/browser/miner.spec.ts). A case throws on failure.
 *
 * Waits are bounded only to turn a hang into a failure; nothing here times
 * the miner.
 */
import fc from 'fast-check';
import { headerBytes, nonceStarts, zeroBitTargets } from './mining-arbitraries';
import { blockHash } from '../../src/lib/core/block';
import { toHex } from '../../src/lib/core/bytes';
import { ChainState } from '../../src/lib/core/chain';
import { targetFromBits } from '../../src/lib/core/compact';
import { encodeHeader } from '../../src/lib/core/header';
import { TEST_PARAMS } from '../../src/lib/core/params';
import { checkProofOfWork, MAX_NONCE, mineStep, plainSearch, targetBytes } from '../../src/lib/core/pow';
import { noStateRules } from '../../src/lib/core/rules';
import { blockTemplate, genesisTemplate, mineBlock } from '../../src/lib/core/template';
import type { MineJob, Miner, MinerExhausted, MinerFound, MinerProgress } from '../../src/lib/adapters/miner/types';

/** A miner under test; worker-backed ones also let a case inject raw messages on either side. */
export interface MinerUnderTest {
  readonly miner: Miner;
  /** Posts `data` to the worker as the page would. */
  toWorker?(data: unknown): void;
  /** Hands `data` to the page side as if the worker had posted it. */
  fromWorker?(data: unknown): void;
}

export interface MinerFixture {
  make(): MinerUnderTest;
}

export interface MinerCase {
  readonly name: string;
  /** Only for miners behind a message channel (`toWorker` and `fromWorker`). */
  readonly channel?: boolean;
  run(fx: MinerFixture): Promise<void>;
}

/** The suite's clock, seconds (the demo epoch). */
export const SUITE_NOW = 1_767_225_600 + 1_000_000;
const MINER_KEY = new Uint8Array(32).fill(9);
/** Target 0: only an all-zero hash meets it, so such a job never finds. */
export const IMPOSSIBLE = new Uint8Array(32);
const HANG_MS = 20_000;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** The miner's state, read afresh (a getter: TypeScript would otherwise keep an earlier narrowing). */
const stateOf = (m: Miner): string => m.state;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves when `cond` holds; throws after {@link HANG_MS}. */
export async function until(cond: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > HANG_MS) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Everything a miner reported, in order. */
export function record(miner: Miner) {
  const log = { found: [] as MinerFound[], progress: [] as MinerProgress[], exhausted: [] as MinerExhausted[] };
  miner.onFound((f) => log.found.push(f));
  miner.onProgress((p) => log.progress.push(p));
  miner.onExhausted((e) => log.exhausted.push(e));
  return log;
}

/** A fresh test chain (genesis only, no ledger rules) and a template for the next block. */
export function suiteChain() {
  const g = genesisTemplate(TEST_PARAMS, [], SUITE_NOW - 1000, MINER_KEY);
  const chain = new ChainState(TEST_PARAMS, mineBlock(g), SUITE_NOW, { rules: noStateRules });
  const template = blockTemplate(chain, chain.tip, [], SUITE_NOW - 990, MINER_KEY);
  const target = targetFromBits(template.header.bits)!;
  return { chain, template, target: targetBytes(target) };
}

let ids = 0;
/** A job over the suite's template; `target` defaults to the chain's (easy, ~256 nonces). */
export function suiteJob(o: Partial<Omit<MineJob, 'id' | 'header'>> = {}): MineJob {
  const { template, target } = suiteChain();
  return { id: ++ids, header: encodeHeader(template.header), target, startNonce: 0, endNonce: 0xffffffff, ...o };
}

/** Progress events of `jobId` so far. */
const progressOf = (log: ReturnType<typeof record>, jobId: number) => log.progress.filter((p) => p.jobId === jobId);

/** How long (ms) the miner takes to search `n` nonces with no success: the yardstick for "would have finished by now". */
async function exhaustTime(miner: Miner, n: number): Promise<number> {
  const log = record(miner);
  const job = suiteJob({ target: IMPOSSIBLE, endNonce: n - 1 });
  const start = Date.now();
  miner.start(job);
  await until(() => log.exhausted.some((e) => e.jobId === job.id), 'the yardstick job');
  return Date.now() - start;
}

export const minerCases: readonly MinerCase[] = [
  {
    name: 'finds a nonce whose block the chain accepts',
    async run(fx) {
      const { miner } = fx.make();
      const log = record(miner);
      const { chain, template, target } = suiteChain();
      const job: MineJob = { id: ++ids, header: encodeHeader(template.header), target, startNonce: 0, endNonce: 0xffffffff };
      miner.start(job);
      check(stateOf(miner) === 'mining', 'mining after start');
      await until(() => log.found.length > 0, 'a found nonce');
      const f = log.found[0]!;
      check(f.jobId === job.id, 'found names its job');
      const block = { header: { ...template.header, nonce: f.nonce }, txs: template.txs };
      check(toHex(blockHash(block)) === toHex(f.hash), 'reported hash is the header hash');
      check(checkProofOfWork(f.hash, block.header.bits), 'proof of work');
      check(f.tried === f.nonce + 1, `tried ${f.tried} for nonce ${f.nonce}`);
      const r = chain.addBlock(block, SUITE_NOW);
      check(r.status === 'accepted', `chain accepts the block (${r.status})`);
      check(stateOf(miner) === 'idle', 'idle after the find');
      miner.close();
    },
  },
  {
    name: 'searches only from the start nonce',
    async run(fx) {
      const { miner } = fx.make();
      const log = record(miner);
      const job = suiteJob({ startNonce: 70_000 });
      miner.start(job);
      await until(() => log.found.length > 0, 'a found nonce');
      const f = log.found[0]!;
      check(f.nonce >= 70_000, `nonce ${f.nonce} at or after the start`);
      check(f.tried === f.nonce - 70_000 + 1, 'tried counts from the start');
      miner.close();
    },
  },
  {
    name: 'reports nonces tried and a rate while mining',
    async run(fx) {
      const { miner } = fx.make();
      const log = record(miner);
      const job = suiteJob({ target: IMPOSSIBLE });
      miner.start(job);
      await until(() => progressOf(log, job.id).length >= 4, 'four progress reports');
      const p = progressOf(log, job.id);
      for (let i = 1; i < p.length; i++) check(p[i]!.tried > p[i - 1]!.tried, 'tried grows');
      check(p.at(-1)!.rate > 0, 'a rate once time has passed');
      check(stateOf(miner) === 'mining', 'still mining');
      check(log.found.length === 0 && log.exhausted.length === 0, 'nothing found or exhausted');
      miner.close();
    },
  },
  {
    name: 'reports an exhausted range with every nonce tried',
    async run(fx) {
      const { miner } = fx.make();
      const log = record(miner);
      const job = suiteJob({ target: IMPOSSIBLE, startNonce: 1000, endNonce: 50_999 });
      miner.start(job);
      await until(() => log.exhausted.length > 0, 'exhausted');
      check(log.exhausted[0]!.jobId === job.id && log.exhausted[0]!.tried === 50_000, 'tried the whole range');
      check(log.found.length === 0, 'nothing found');
      check(stateOf(miner) === 'idle', 'idle after exhaustion');
      miner.close();
    },
  },
  {
    name: 'stop stops the search',
    async run(fx) {
      const { miner } = fx.make();
      // Several batches (~30 ms each) even at the WebAssembly kernel's speed, so progress comes before the end.
      const n = 2_000_000;
      const yardstick = await exhaustTime(miner, n);
      const log = record(miner);
      const job = suiteJob({ target: IMPOSSIBLE, endNonce: n - 1 });
      miner.start(job);
      await until(() => progressOf(log, job.id).length > 0, 'progress');
      miner.stop();
      check(stateOf(miner) === 'idle', 'idle at once');
      const seen = log.progress.length;
      // Unstopped, the job would have been exhausted well within this time.
      await sleep(3 * yardstick + 200);
      check(log.exhausted.length === 0, 'a stopped job never runs to its end');
      check(log.progress.length === seen, 'no progress after stop');
      miner.close();
    },
  },
  {
    name: 'a new job replaces the old one at once',
    async run(fx) {
      const { miner } = fx.make();
      const log = record(miner);
      const old = suiteJob({ target: IMPOSSIBLE });
      miner.start(old);
      await until(() => progressOf(log, old.id).length > 0, 'progress on the old job');
      const fresh = suiteJob({ startNonce: 5 });
      miner.start(fresh);
      await until(() => log.found.length > 0, 'a found nonce for the new job');
      check(
        log.found.every((f) => f.jobId === fresh.id),
        'only the new job finds',
      );
      const firstNew = log.progress.findIndex((p) => p.jobId === fresh.id);
      if (firstNew >= 0)
        check(
          log.progress.slice(firstNew).every((p) => p.jobId === fresh.id),
          'no old progress after the new job',
        );
      check(stateOf(miner) === 'idle', 'idle after the find');
      miner.close();
    },
  },
  {
    name: 'malformed messages are ignored on both sides',
    channel: true,
    async run(fx) {
      const { miner, toWorker, fromWorker } = fx.make();
      check(toWorker && fromWorker, 'a channel fixture');
      const log = record(miner);
      const job = suiteJob({ target: IMPOSSIBLE });
      miner.start(job);
      await until(() => progressOf(log, job.id).length > 0, 'progress');
      const hash = new Uint8Array(32);
      const toBad: unknown[] = [
        null,
        42,
        'stop',
        [],
        { kind: 'Stop' },
        { kind: 'start' },
        { kind: 'start', job: null },
        { kind: 'start', job: { ...suiteJob(), header: new Uint8Array(117) } },
        { kind: 'start', job: { ...suiteJob(), id: 0 } },
        { kind: 'start', job: { ...suiteJob(), endNonce: 2 ** 32 } },
        { kind: 'start', job: { ...suiteJob(), startNonce: 9, endNonce: 8 } },
        { kind: 'start', job: { ...suiteJob(), target: Array.from(IMPOSSIBLE) } },
        { kind: 'found', found: { jobId: job.id, nonce: 1, hash, tried: 1 } },
      ];
      const fromBad: unknown[] = [
        null,
        'found',
        { kind: 'found' },
        { kind: 'found', found: { jobId: job.id, nonce: 2 ** 32, hash, tried: 1 } },
        { kind: 'found', found: { jobId: job.id, nonce: 1, hash: new Uint8Array(31), tried: 1 } },
        { kind: 'found', found: { jobId: job.id, nonce: 1.5, hash, tried: 1 } },
        { kind: 'found', found: { jobId: job.id, nonce: 1, hash, tried: 0 } },
        { kind: 'progress', progress: { jobId: job.id, tried: -1, rate: 1 } },
        { kind: 'progress', progress: { jobId: job.id, tried: 1, rate: Number.NaN } },
        { kind: 'progress', progress: { jobId: '1', tried: 1, rate: 1 } },
        { kind: 'exhausted', exhausted: { jobId: job.id, tried: 0 } },
        { kind: 'exhausted', exhausted: { jobId: job.id } },
        { kind: 'stop' },
      ];
      for (const m of toBad) toWorker(m);
      for (const m of fromBad) fromWorker(m);
      const seen = progressOf(log, job.id).length;
      // The worker is still on the same job: progress keeps coming, nothing was found or ended.
      await until(() => progressOf(log, job.id).length > seen + 2, 'progress after the garbage');
      check(log.found.length === 0 && log.exhausted.length === 0, 'garbage is not a report');
      check(
        log.progress.every((p) => p.jobId === job.id && Number.isSafeInteger(p.tried) && p.tried > 0 && Number.isFinite(p.rate)),
        'only real progress',
      );
      check(stateOf(miner) === 'mining', 'still mining');
      const next = suiteJob();
      miner.start(next);
      await until(() => log.found.length > 0, 'a find after the garbage');
      check(log.found[0]!.jobId === next.id, 'the new job found');
      miner.close();
    },
  },
  {
    name: 'finds the same first nonce and hash as the plain loop, for any header, target and range',
    async run(fx) {
      const { miner } = fx.make();
      const log = record(miner);
      await fc.assert(
        fc.asyncProperty(headerBytes, nonceStarts(3000), fc.integer({ min: 1, max: 20_000 }), zeroBitTargets(2, 14), async (header, start, n, target) => {
          const endNonce = Math.min(MAX_NONCE, start + n - 1);
          const expected = mineStep(header, target, start, endNonce - start + 1, plainSearch);
          const job: MineJob = { id: ++ids, header, target, startNonce: start, endNonce };
          miner.start(job);
          await until(() => log.found.some((f) => f.jobId === job.id) || log.exhausted.some((e) => e.jobId === job.id), 'the job to end');
          const f = log.found.find((x) => x.jobId === job.id);
          if (expected.found) {
            check(f !== undefined && f.nonce === expected.nonce, `found ${f?.nonce}, the plain loop ${expected.nonce}`);
            check(toHex(f.hash) === toHex(expected.hash) && f.tried === expected.tried, 'same hash and count');
          } else check(f === undefined, `found ${f?.nonce} where the plain loop finds none`);
        }),
        { numRuns: 25 },
      );
      miner.close();
    },
  },
];
