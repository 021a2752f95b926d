#!/usr/bin/env node
// Throughput of the signalling relay (SPEC §9: performance is measured by a
// script, never asserted by a test). The relay runs in its own process with
// the rate limit lifted; one publisher sends signal-sized publish frames to
// a room of R receivers, and we time until every receiver has them all.
//
// Usage: node scripts/relay-bench.mjs [--frames 20000] [--receivers 4] [--bytes 1500]

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { optionsOrExit, readOptions, wholeNumber } from './script-args.mjs';

if (process.argv[2] === 'serve') {
  const { tsImport } = await import('tsx/esm/api');
  const { startRelay } = await tsImport('../src/relay/server.ts', import.meta.url);
  const relay = await startRelay({
    host: '127.0.0.1',
    port: 0,
    limits: { ratePerSecond: 1e9, burst: 1e9, maxBufferedBytes: 1 << 30 },
  });
  console.log(relay.url);
  process.on('SIGTERM', () => relay.close().then(() => process.exit(0)));
} else {
  const { frames, receivers, bytes } = optionsOrExit('relay-bench', () => {
    const args = readOptions(
      process.argv.slice(2),
      { frames: { type: 'string' }, receivers: { type: 'string' }, bytes: { type: 'string' } },
      'node scripts/relay-bench.mjs [--frames 20000] [--receivers 4] [--bytes 1500]',
    );
    return {
      frames: wholeNumber(args.frames, 'frames', 20000, 1, 10_000_000),
      receivers: wholeNumber(args.receivers, 'receivers', 4, 1, 1000),
      bytes: wholeNumber(args.bytes, 'bytes', 1500, 0, 1 << 20),
    };
  });
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
  /** @returns {Promise<WebSocket>} */
  const connect = () =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  const all = await Promise.all(Array.from({ length: receivers + 1 }, connect));
  const [publisher, ...rest] = all;
  /** @param {WebSocket} ws */
  const joined = (ws) =>
    new Promise((resolve) => {
      ws.once('message', resolve);
      ws.send(JSON.stringify({ type: 'subscribe', topics: ['bench'] }));
      ws.send(JSON.stringify({ type: 'ping' }));
    });
  await Promise.all(all.map(joined));
  const done = rest.map(
    (ws) =>
      new Promise((resolve) => {
        let n = 0;
        ws.on('message', () => ++n === frames && resolve(undefined));
      }),
  );
  const frame = JSON.stringify({ type: 'publish', topic: 'bench', data: 'A'.repeat(bytes) });
  const start = process.hrtime.bigint();
  for (let i = 0; i < frames; i++) publisher?.send(frame);
  await Promise.all(done);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `relay: ${frames} frames of ${frame.length} bytes to ${receivers} receivers in ${seconds.toFixed(2)} s: ` +
      `${Math.round(frames / seconds)} published/s, ${Math.round((frames * receivers) / seconds)} deliveries/s`,
  );
  all.forEach((ws) => ws.close());
  child.kill('SIGTERM');
}
