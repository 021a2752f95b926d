/**
 * `medchain bench [--only NAME]` (SPEC §9: performance is measured by a
 * benchmark command, never asserted by a timed test). The Node-side figures
 * that exist so far, each beside the limit it could reach, measured in the
 * same run; browser figures join with the browser node. Writes
 * bench/results.json (one object per figure, units in the keys).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { encodeBlock } from '../lib/core/block';
import { encodeChainFile } from '../lib/core/chainfile';
import { demoChain } from '../lib/core/demo';
import { encodeHeader } from '../lib/core/header';
import { deriveMasterSeed, OWASP_ARGON2ID } from '../lib/core/keys';
import { DEFAULT_PARAMS } from '../lib/core/params';
import { mineStep, targetBytes } from '../lib/core/pow';
import { verifyChainFile } from '../lib/core/verify-chain';
import { parse } from './args';
import { type CliIO, EXIT_OK, UsageError } from './io';
import { primedVerifierFor } from './verify';

type Figure = Record<string, number | string>;

const seconds = (start: number) => (performance.now() - start) / 1000;

/** SHA-256 compressions per second of one core, native (OpenSSL through `openssl speed`, else node:crypto). */
function nativeCompressionsPerSecond(): { value: number; source: string } {
  try {
    const out = execFileSync('openssl', ['speed', '-seconds', '3', '-bytes', '16384', '-evp', 'sha256'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const line = out.split('\n').find((l) => /^sha256/i.test(l.trim()));
    const kbps = line ? Number(line.trim().split(/\s+/).pop()!.replace(/k$/, '')) : NaN;
    if (Number.isFinite(kbps)) return { value: (kbps * 1000) / 64, source: 'openssl speed -evp sha256 (16 KiB)' };
  } catch {
    /* fall through */
  }
  const buf = new Uint8Array(16384);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 2000) {
    createHash('sha256').update(buf).digest();
    n++;
  }
  return { value: (n * 16384) / 64 / seconds(start), source: 'node:crypto sha256 (16 KiB)' };
}

const BENCHES: Record<string, () => Promise<Figure>> = {
  async hashrate_node() {
    const header = encodeHeader({ version: 1, height: 1, prevHash: new Uint8Array(32), txRoot: new Uint8Array(32), time: 1, bits: 0x1d00ffff, miner: new Uint8Array(32), nonce: 0 });
    const impossible = targetBytes(0n);
    const start = performance.now();
    let tried = 0;
    while (performance.now() - start < 3000) tried += mineStep(header, impossible, tried, 50_000).tried;
    const perSecond = tried / seconds(start);
    const native = nativeCompressionsPerSecond();
    // One compression per nonce after the midstate.
    return { nonces_per_second: Math.round(perSecond), native_compressions_per_second: Math.round(native.value), ratio: Number((perSecond / native.value).toFixed(4)), native_source: native.source, goal_ratio: 0.5 };
  },
  async kdf_node() {
    const start = performance.now();
    deriveMasterSeed(DEFAULT_PARAMS.id, '234567890124', 'kite-river-lamp-oven', OWASP_ARGON2ID);
    return { seconds: Number(seconds(start).toFixed(3)), params: `argon2id m=${OWASP_ARGON2ID.m}KiB t=${OWASP_ARGON2ID.t} p=${OWASP_ARGON2ID.p}`, goal_seconds: 1 };
  },
  async verify_node() {
    const blocks = 2000;
    const demo = demoChain({ blocks, seed: 'bench' });
    const file = encodeChainFile(DEFAULT_PARAMS.id, demo.blocks.map(encodeBlock));
    const start = performance.now();
    const report = verifyChainFile(file, Math.floor(Date.now() / 1000), { verifier: await primedVerifierFor(file) });
    const s = seconds(start);
    if (!report.ok) throw new Error('demo chain did not verify');
    return { blocks, seconds: Number(s.toFixed(3)), blocks_per_second: Math.round(blocks / s), transactions: demo.blocks.reduce((n, b) => n + b.txs.length, 0) };
  },
};

export async function benchCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, { only: { type: 'string' }, out: { type: 'string' } });
  const names = typeof values.only === 'string' ? [values.only] : Object.keys(BENCHES);
  for (const n of names) if (!BENCHES[n]) throw new UsageError(`unknown benchmark "${n}"; known: ${Object.keys(BENCHES).join(', ')}`);
  const path = typeof values.out === 'string' ? values.out : 'bench/results.json';
  let results: Record<string, Figure> = {};
  try {
    results = JSON.parse(await readFile(path, 'utf8')) as Record<string, Figure>;
  } catch {
    results = {};
  }
  for (const name of names) {
    const figure = await BENCHES[name]!();
    results[name] = figure;
    io.out(`${name.padEnd(14)} ${Object.entries(figure).map(([k, v]) => `${k}=${v}`).join('  ')}`);
  }
  await mkdir(path.replace(/\/[^/]*$/, '') || '.', { recursive: true });
  await writeFile(path, JSON.stringify(results, null, 2) + '\n');
  io.out(`wrote ${path}`);
  return EXIT_OK;
}
