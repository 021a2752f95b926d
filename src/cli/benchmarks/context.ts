/**
 * What the bench's figures share within one run (issue 7), each made on
 * first use: the 10,000-block demo chain (cached in bench/out/, it takes a
 * minute to mine) and one headless Chromium serving the bench's pages
 * (src/bench: the harness the browser tests share).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeBlock } from '../../lib/core/block';
import { encodeChainFile } from '../../lib/core/chainfile';
import { demoChain } from '../../lib/core/demo';
import { DEFAULT_PARAMS } from '../../lib/core/params';
import type { RelayProcess } from '../../bench/relay-process';
import type { BenchBrowser } from '../../bench/session';
import { compressionsPerSecond, OPENSSL_SPEED_ARGS, parseOpensslSpeed } from './openssl';

/** The demo chain every chain figure uses: blocks after genesis, and its seed. */
export const BENCH_CHAIN = { blocks: 10_000, seed: 'bench' } as const;

export interface BenchContext {
  readonly root: string;
  /** Progress lines (standard error). */
  log(line: string): void;
  /** Path of the demo chain file, written on first use. */
  chainFile(): Promise<string>;
  browser(): Promise<BenchBrowser>;
  /** The signalling relay (its own process, on 127.0.0.1). */
  relay(): Promise<RelayProcess>;
  /** Made once per run and shared by the figures that need it (a seeded node, say). */
  once<T>(key: string, make: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** One core's native SHA-256 compressions per second, measured now with OpenSSL. */
export function nativeCompressions(): number {
  const out = execFileSync('openssl', OPENSSL_SPEED_ARGS, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const bytes = parseOpensslSpeed(out);
  if (bytes === null) throw new Error('could not read `openssl speed` output');
  return compressionsPerSecond(bytes);
}

/** Version of the cached bench chain: 2 since key blobs are exactly 80 bytes per reader (issue 13 #9); 3 since signatures bind the network's genesis (issue 13 #10); 4 since hospitals write only in their consent's categories (issue 13 #8); 5 since the genesis records the quorum rule; 6 since consent carries ABDM's terms and records their date (issue 15). */
const DEMO_CACHE = 7;

export function benchContext(root: string, log: (line: string) => void): BenchContext {
  const out = join(root, 'bench/out');
  let chain: Promise<string> | null = null;
  let browser: Promise<BenchBrowser> | null = null;
  let relay: Promise<RelayProcess> | null = null;
  const made = new Map<string, Promise<unknown>>();
  const makeChain = async () => {
    // The cache is named by what makes it: a change of demo.ts or of the rules a demo chain must pass bumps DEMO_CACHE.
    const path = join(out, `demo-${BENCH_CHAIN.blocks}-${BENCH_CHAIN.seed}-v${DEMO_CACHE}.bin`);
    if (existsSync(path)) return path;
    log(`bench: mining the ${BENCH_CHAIN.blocks}-block demo chain once (cached in ${path})`);
    const demo = demoChain({ blocks: BENCH_CHAIN.blocks, seed: BENCH_CHAIN.seed, params: DEFAULT_PARAMS });
    await mkdir(out, { recursive: true });
    await writeFile(`${path}.${process.pid}.tmp`, encodeChainFile(DEFAULT_PARAMS.id, demo.blocks.map(encodeBlock)));
    await rename(`${path}.${process.pid}.tmp`, path);
    return path;
  };
  return {
    root,
    log,
    chainFile: () => (chain ??= makeChain()),
    browser: () =>
      (browser ??= (async () => {
        const file = await (chain ??= makeChain());
        const { startBenchBrowser } = await import('../../bench/session');
        return startBenchBrowser({ 'bench-chain.bin': file });
      })()),
    relay: () =>
      (relay ??= (async () => {
        const { startRelayProcess } = await import('../../bench/relay-process');
        return startRelayProcess();
      })()),
    once: <T>(key: string, make: () => Promise<T>) => {
      if (!made.has(key)) made.set(key, make());
      return made.get(key) as Promise<T>;
    },
    close: async () => {
      if (browser) await (await browser.catch(() => null))?.close();
      if (relay) await (await relay.catch(() => null))?.stop();
    },
  };
}
