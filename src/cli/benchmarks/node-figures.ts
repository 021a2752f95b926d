/**
 * The bench's figures that run the node (issue 7, SPEC §9), on the harness
 * page src/bench/pages/bench-node.ts: `start` boots a node on a store
 * already holding the 10,000-block demo chain; `sync` boots a fresh node in
 * another browser context that fetches that chain from the first over
 * WebRTC (through the real relay), validates and stores it, beside the
 * WebCrypto and IndexedDB rates measured in the same run.
 */
import { readFile } from 'node:fs/promises';
import { toHex } from '../../lib/core/bytes';
import { readChainFile } from '../../lib/core/chainfile';
import type { BenchPage } from '../../bench/session';
import { BENCH_CHAIN, type BenchContext } from './context';
import type { Figure } from './results';

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

interface Booted {
  readonly height: number;
  readonly seconds: number;
  readonly sinceNavigation: number;
  readonly lastRiseSeconds: number;
  /** Where the start's time went: named points, ms since navigation (bench-node.ts). */
  readonly spans: string;
}

/** How long a boot may take to reach the chain's height before the figure reports what it reached. */
const START_LIMIT_MS = 120_000;
const SYNC_LIMIT_MS = 90_000;
/** A sync whose height has not grown for this long has stopped. */
const SYNC_STALL_MS = 20_000;

function genesisHex(ctx: BenchContext): Promise<string> {
  return ctx.once('genesis-hex', async () => {
    const file = readChainFile(new Uint8Array(await readFile(await ctx.chainFile())));
    return toHex(file.blocks[0]!.bytes);
  });
}

async function boot(ctx: BenchContext, page: BenchPage, limitMs: number, stallMs = limitMs): Promise<Booted> {
  const relay = await ctx.relay();
  return page.call<Booted>('boot', relay.url, await genesisHex(ctx), BENCH_CHAIN.blocks, limitMs, stallMs);
}

/** A node with the demo chain in its store, started once per run: its start is the `start` figure, and it serves `sync`. */
function seededNode(ctx: BenchContext): Promise<{ page: BenchPage; booted: Booted; close(): Promise<void> }> {
  return ctx.once('seeded-node', async () => {
    const browser = await ctx.browser();
    const context = await browser.browser.newContext();
    const seeder = await browser.open('bench-node', context);
    await seeder.call('seed');
    // The started page boots as its script runs (the app's way), not on a call from here once it is ready.
    await seeder.call('armStart', (await ctx.relay()).url, await genesisHex(ctx), BENCH_CHAIN.blocks, START_LIMIT_MS);
    await seeder.close();
    const page = await browser.open('bench-node', context);
    const booted = await boot(ctx, page, START_LIMIT_MS);
    return { page, booted, close: async () => (await page.call('stop'), await context.close()) };
  });
}

export async function start(ctx: BenchContext): Promise<Figure> {
  const { booted } = await seededNode(ctx);
  if (booted.height < BENCH_CHAIN.blocks)
    return { status: 'failed', why: `status() showed height ${booted.height} of ${BENCH_CHAIN.blocks} after ${round(booted.seconds, 1)} s` };
  return {
    seconds: round(booted.sinceNavigation, 3),
    goal_seconds: 1,
    boot_seconds: round(booted.seconds, 3),
    chain_blocks: BENCH_CHAIN.blocks,
    measured: 'page navigation start to window.medchain-style status() at the stored height (bootNode, fast load)',
    spans_ms: booted.spans,
  };
}

export async function sync(ctx: BenchContext): Promise<Figure> {
  const seeded = await seededNode(ctx);
  if (seeded.booted.height < BENCH_CHAIN.blocks) return { status: 'failed', why: 'the serving node did not start with the chain' };
  const browser = await ctx.browser();
  const probe = await browser.open('bench-node');
  const p = await probe.call<{ verifications: number; verifySeconds: number; puts: number; putSeconds: number }>('primitives', 10_000);
  await probe.close();
  const fresh = await browser.open('bench-node');
  const synced = await boot(ctx, fresh, SYNC_LIMIT_MS, SYNC_STALL_MS);
  const t = performance.now();
  let stored = await fresh.call<number>('storedHeight');
  while (stored < synced.height && performance.now() - t < 30_000) stored = await fresh.call<number>('storedHeight');
  const seconds = synced.seconds + (performance.now() - t) / 1000;
  type Mesh = { bans: string[]; errors: number } | null;
  const meshOf = (m: Mesh) => (m ? `bans [${m.bans.join(', ')}], frame errors ${m.errors}` : 'no node');
  const meshes = `fresh node: ${meshOf(await fresh.call<Mesh>('mesh'))}; serving node: ${meshOf(await seeded.page.call<Mesh>('mesh'))}; peers at the end ${(await fresh.call<{ peers: number } | null>('status'))?.peers ?? 0}`;
  await fresh.call('stop');
  await fresh.close();
  await seeded.close(); // the serving node would otherwise keep running through the figures after this one
  const limits = {
    webcrypto_verifications_per_second: round(p.verifications / p.verifySeconds),
    idb_batched_puts_per_second: round(p.puts / p.putSeconds),
  };
  if (stored < BENCH_CHAIN.blocks)
    return {
      status: 'incomplete',
      why: `validated ${synced.height} and stored ${stored} of ${BENCH_CHAIN.blocks} blocks, then no progress for ${SYNC_STALL_MS / 1000} s (or the bench's ${SYNC_LIMIT_MS / 1000} s ran out)`,
      synced_blocks: stored,
      waited_seconds: round(seconds, 3),
      mesh: meshes,
      blocks_per_second: round(synced.height / synced.lastRiseSeconds, 1),
      last_block_at_seconds: round(synced.lastRiseSeconds, 3),
      goal_seconds: 3,
      ...limits,
    };
  return {
    seconds: round(seconds, 3),
    goal_seconds: 3,
    blocks_per_second: round(BENCH_CHAIN.blocks / seconds),
    ...limits,
    chain_blocks: BENCH_CHAIN.blocks,
    measured: 'fresh node boot to the whole chain validated (status) and in IndexedDB (store tip), over WebRTC',
  };
}
