/**
 * Figures for the mesh core (not a test; performance is never asserted):
 * blocks per second through the in-memory sync, messages per second through
 * the wire codec and the chunker. Run: npx tsx tests/unit/core/net/bench.ts
 */
import { encodeBlock } from '../../../../src/lib/core/block';
import { Chunker, Reassembler } from '../../../../src/lib/core/net/chunk';
import { MsgType } from '../../../../src/lib/core/net/messages';
import { decodeMessage, encodeMessage } from '../../../../src/lib/core/net/wire';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { addOk, extend, newChain, recordTx, T0 } from '../helpers';
import { GENESIS, baseBlocks, fullMesh, makeNodes, sameTip } from './fixtures';
import { SimNet } from './sim-net';
import type { Block } from '../../../../src/lib/core/block';

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, (performance.now() - t) / 1000];
}

function syncRun(label: string, blocks: Block[], peers: number): void {
  const net = new SimNet(`bench/${label}`);
  const old = makeNodes(net, `bench/${label}`, peers, { blocks });
  fullMesh(net, old);
  net.runFor(1000);
  const [late] = makeNodes(net, `bench/${label}/late`, 1);
  for (const o of old) net.connect(late!.id, o.id);
  const frames0 = net.frames;
  const virt0 = net.now;
  const [ok, s] = time(() => net.run(() => sameTip([...old, late!]), 3_600_000));
  const txs = blocks.reduce((n, b) => n + b.txs.length, 0);
  console.log(
    `${label}: ${blocks.length} blocks (${txs} txs) from ${peers} peers, synced=${ok}: ${(blocks.length / s).toFixed(0)} blocks/s wall, ` +
      `${((net.frames - frames0) / s).toFixed(0)} frames/s, ${net.count(late!.id, MsgType.Block)} block messages, ` +
      `${net.count(late!.id, MsgType.Headers)} headers messages, ${((net.now - virt0) / 1000).toFixed(1)} s virtual`,
  );
}

function blocksWithTxs(n: number, perBlock: number): Block[] {
  const c = newChain(TEST_PARAMS, GENESIS);
  const out: Block[] = [];
  for (let i = 0; i < n; i++) {
    const txs = Array.from({ length: perBlock }, (_, j) => recordTx(T0 + i * 5 + 1, undefined, 200 + j));
    const b = extend(c, c.tip, { txs });
    addOk(c, b);
    out.push(b);
  }
  return out;
}

syncRun('empty blocks', baseBlocks(1000), 4);
syncRun('blocks of 20 signed txs', blocksWithTxs(100, 20), 4);

const big = blocksWithTxs(1, 400)[0]!;
const msg = encodeMessage({ type: MsgType.Block, block: big, size: 0 });
const n = 200;
const [, enc] = time(() => {
  for (let i = 0; i < n; i++) encodeMessage({ type: MsgType.Block, block: big, size: 0 });
});
const [, dec] = time(() => {
  for (let i = 0; i < n; i++) decodeMessage(msg, 1 << 20);
});
console.log(`block message of ${encodeBlock(big).length} bytes (400 txs): encode ${(n / enc).toFixed(0)}/s, decode ${(n / dec).toFixed(0)}/s`);
const ping = encodeMessage({ type: MsgType.Ping, nonce: 1 });
const [, pings] = time(() => {
  for (let i = 0; i < 100_000; i++) decodeMessage(ping, 1 << 20);
});
console.log(`small messages: decode ${(100_000 / pings).toFixed(0)}/s`);
const payload = new Uint8Array(512 * 1024);
const [, ch] = time(() => {
  const c = new Chunker();
  const r = new Reassembler({ maxBytes: () => 1 << 20, maxPartials: 2, budgetBytes: Infinity, timeoutMs: 1000 });
  for (let i = 0; i < 200; i++) for (const f of c.frames(payload)) r.accept(f, 0);
});
console.log(`chunking 512 KiB messages: ${((200 * 0.5) / ch).toFixed(0)} MiB/s split + reassembled`);
