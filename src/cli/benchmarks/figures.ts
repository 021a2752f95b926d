/**
 * The figures of `npm run bench` (issue 7, SPEC §9), each beside its goal or
 * the limit it could reach, measured in the same run. Browser figures run in
 * headless Chromium on the bench page src/bench/pages/bench.ts;
 * Node figures in this process. A figure whose run fails says so (`failed`
 * and why) rather than carry a made-up number.
 */
import { DEFAULT_PARAMS } from '../../lib/core/params';
import type { CliIO } from '../io';
import { verifyCommand } from '../verify';
import { BENCH_CHAIN, type BenchContext, nativeCompressions } from './context';
import { confirm } from './confirm';
import { start, sync } from './node-figures';
import type { Figure, FigureName } from './results';

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const since = (start: number) => (performance.now() - start) / 1000;

/** A 118-byte header: the first 64 bytes are the midstate, the nonce's 54 bytes and padding fill one more 64-byte block. */
const COMPRESSIONS_PER_NONCE = 1;
/** The sync goal (10,000 blocks in 3 s) as a rate: what validation must at least reach. */
const SYNC_GOAL_SECONDS = 3;

async function hashrate(ctx: BenchContext): Promise<Figure> {
  const page = await (await ctx.browser()).open('bench');
  const r = await page.call<{ worker: number; plain: number; reports: number; engine: string }>('hashrate', 6000, 1500, 2000);
  await page.close();
  const native = nativeCompressions();
  const perSecond = r.worker * COMPRESSIONS_PER_NONCE;
  return {
    engine: r.engine,
    measured: 'one createWebMiner() worker, its default engine, steady rate after 1.5 s',
    nonces_per_second: round(r.worker),
    compressions_per_second: round(perSecond),
    native_compressions_per_second: round(native),
    ratio: round(perSecond / native, 4),
    goal_ratio: 0.5,
    plain_js_nonces_per_second: round(r.plain),
    plain_js_ratio: round((r.plain * COMPRESSIONS_PER_NONCE) / native, 4),
    native_source: 'openssl speed -seconds 3 -bytes 16384 -evp sha256, bytes/s / 64',
    plain_js_source: 'the plain-JS engine on the page thread',
  };
}

async function validate(ctx: BenchContext): Promise<Figure> {
  const page = await (await ctx.browser()).open('bench');
  const b = await page.call<{ blocks: number; seconds: number; primeSeconds: number; signatures: number }>('validate');
  await page.close();
  const file = await ctx.chainFile();
  const lines: string[] = [];
  const io: CliIO = { out: (l) => lines.push(l), err: (l) => lines.push(l), now: () => Math.floor(Date.now() / 1000), readStdin: async () => '' };
  const start = performance.now();
  const code = await verifyCommand([file], io);
  const nodeSeconds = since(start);
  if (code !== 0) throw new Error(`medchain verify failed: ${lines.join(' ')}`);
  const verifications = b.signatures / b.primeSeconds;
  return {
    chain_blocks: b.blocks,
    signatures: b.signatures,
    browser_seconds: round(b.seconds, 3),
    browser_blocks_per_second: round(b.blocks / b.seconds),
    goal_blocks_per_second: round(BENCH_CHAIN.blocks / SYNC_GOAL_SECONDS),
    webcrypto_verifications_per_second: round(verifications),
    signature_limit_blocks_per_second: round(verifications / (b.signatures / b.blocks)),
    node_seconds: round(nodeSeconds, 3),
    node_blocks_per_second: round(b.blocks / nodeSeconds),
    measured:
      'every signature sent ahead in chunks (browser: one verifying worker per core but one; Node: WebCrypto on its thread pool) while the core checks each block whose chunk is answered; verifications/s: all signatures over the time until the last chunk was answered',
  };
}

async function login(ctx: BenchContext): Promise<Figure> {
  const page = await (await ctx.browser()).open('bench');
  const r = await page.call<{ worker: number; kdf: number; params: string }>('login', DEFAULT_PARAMS.id, '234567890124', 'kite-river-lamp-oven-bench');
  await page.close();
  return {
    seconds: round(r.worker, 3),
    goal_seconds: 1,
    kdf_only_page_seconds: round(r.kdf, 3),
    params: r.params,
    measured: "the app's login worker (argon2id, HKDF, key import)",
  };
}

async function bundle(ctx: BenchContext): Promise<Figure> {
  const { measureBundle } = await import('../../bench/app-bundle');
  const b = await measureBundle((await ctx.browser()).browser);
  return {
    gzip_kb: round(b.gzipBytes / 1024, 1),
    goal_kb: 150,
    raw_kb: round(b.rawBytes / 1024, 1),
    scripts: b.files.length,
    modulepreload_gzip_kb: round(b.preloadGzipBytes / 1024, 1),
    measured: 'scripts the first screen fetched in Chromium until network idle, gzip -9',
  };
}

async function memory(ctx: BenchContext): Promise<Figure> {
  const page = await (await ctx.browser()).open('bench');
  const empty = await page.heapUsed();
  const r = await page.call<{ blocks: number }>('holdChain');
  const held = await page.heapUsed();
  await page.close();
  const mb = (n: number) => round(n / 1024 / 1024, 1);
  return {
    heap_mb: mb(held),
    goal_mb: 100,
    empty_page_heap_mb: mb(empty),
    chain_mb: mb(held - empty),
    chain_blocks: r.blocks,
    measured: 'CDP Runtime.getHeapUsage after a full GC',
  };
}

/**
 * The order a whole run measures in: the hash rate first, on a quiet
 * machine; the seeded node of start serves sync and is stopped after it;
 * confirm's five nodes last.
 */
export const RUN_ORDER: readonly FigureName[] = ['hashrate', 'validate', 'login', 'bundle', 'memory', 'start', 'sync', 'confirm'];

export const FIGURES: Readonly<Record<FigureName, (ctx: BenchContext) => Promise<Figure>>> = {
  hashrate,
  sync,
  validate,
  confirm,
  start,
  login,
  bundle,
  memory,
};
