/**
 * Nonces per second of the miner's engines in Node (issue 7), beside native
 * SHA-256: `npx tsx scripts/miner-rates.ts [--seconds 3]`. Prints, asserts
 * nothing. Each engine runs the core's mineStep on an impossible target for
 * `seconds` (default 3); rates are given per wall second and per second of
 * this process's CPU time (the fair figure on a shared machine: OpenSSL's
 * `speed` divides by CPU time too). Native: `openssl speed -seconds 3 -bytes
 * 16384 -evp sha256` divided by 64 bytes per compression, and each engine
 * hashes one compression per nonce.
 */
import { spawnSync } from 'node:child_process';
import { JS_ENGINE, loadWasmEngine, type MineEngine } from '../src/lib/adapters/miner/wasm-engine';
import { MAX_NONCE, mineStep } from '../src/lib/core/pow';
import { optionsOrExit, readOptions, wholeNumber } from './script-args.mjs';

const seconds = optionsOrExit('miner-rates', () => {
  const args = readOptions(process.argv.slice(2), { seconds: { type: 'string' } }, 'npx tsx scripts/miner-rates.ts [--seconds 3]');
  return wholeNumber(args.seconds, 'seconds', 3, 1, 600);
});
const header = new Uint8Array(118).map((_, i) => (i * 7) & 0xff);
const impossible = new Uint8Array(32);

function measure(engine: MineEngine): { wall: number; cpu: number } {
  // A short warm-up lets V8 optimise the loop (and tier the WebAssembly up).
  for (let t = performance.now(); performance.now() - t < 300;) mineStep(header, impossible, 0, 1 << 16, engine.search);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let tried = 0;
  while (performance.now() - t0 < seconds * 1000) tried += mineStep(header, impossible, tried % MAX_NONCE, 1 << 18, engine.search).tried;
  const cpu = process.cpuUsage(c0);
  return { wall: tried / ((performance.now() - t0) / 1000), cpu: tried / ((cpu.user + cpu.system) / 1e6) };
}

/** Native compressions per second from OpenSSL (EVP, SHA-NI where the CPU has it), or null without openssl. */
function native(): number | null {
  const r = spawnSync('openssl', ['speed', '-seconds', '3', '-bytes', '16384', '-evp', 'sha256'], { encoding: 'utf8' });
  const m = /^sha256\s+([\d.]+)k/m.exec(r.stdout ?? '');
  return m ? (Number(m[1]) * 1000) / 64 : null;
}

const M = (n: number) => `${(n / 1e6).toFixed(2)} M/s`;
const wasm = loadWasmEngine();
const results: [string, { wall: number; cpu: number }][] = [['js', measure(JS_ENGINE)]];
if (wasm) results.push(['wasm-simd', measure(wasm)]);
else console.log('wasm-simd: not available on this platform');
for (const [name, r] of results) console.log(`${name.padEnd(10)} ${M(r.wall)} wall, ${M(r.cpu)} per CPU second`);
const n = native();
if (n === null) console.log('openssl not found: no native figure');
else {
  console.log(`native     ${M(n)} compressions (openssl speed -evp sha256, 16 KiB blocks / 64)`);
  for (const [name, r] of results) console.log(`ratio ${name}: ${(r.cpu / n).toFixed(3)} (per CPU second), ${(r.wall / n).toFixed(3)} (wall)`);
}
