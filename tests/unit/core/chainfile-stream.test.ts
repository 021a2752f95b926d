/**
 * Chain files checked as they are read (issue 13 #7): the incremental
 * decoder holds about one block, announces each header before the rest of
 * its block is read, feeds the checksum as bytes go by, holds the declared
 * count to what arrives and refuses a byte after the checksum; a file split
 * into any chunks gives the report the whole file gives; a crafted file
 * whose first block fails its proof of work is refused having read little
 * more than that block's header.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Block, encodeBlock } from '../../../src/lib/core/block';
import { toHex } from '../../../src/lib/core/bytes';
import { MAX_FILE_BLOCK_BYTES, encodeChainFile, exportChain } from '../../../src/lib/core/chainfile';
import { ChainFileDecoder, type ChainFileEvent } from '../../../src/lib/core/chainfile-decoder';
import { demoChain } from '../../../src/lib/core/demo';
import { HEADER_BYTES, encodeHeader } from '../../../src/lib/core/header';
import { headerPrecheck } from '../../../src/lib/core/header-precheck';
import { DEFAULT_PARAMS } from '../../../src/lib/core/params';
import { type VerifyReport, verifyChainFile, verifyChainStream } from '../../../src/lib/core/verify-chain';
import { craftedChainFile, rechunk } from './crafted-chain-file';

const demo = demoChain({ blocks: 12, seed: 'stream-me', params: DEFAULT_PARAMS });
const NOW = demo.blocks.at(-1)!.header.time + 60;
const good = exportChain(demo.chain);
const fileOf = (blocks: readonly Block[]) => encodeChainFile(DEFAULT_PARAMS.id, blocks.map(encodeBlock));

/** A report in comparable form (the chain itself compared by its tip). */
function summary(r: VerifyReport): unknown {
  if (r.ok) return { ok: true, height: r.height, tip: toHex(r.tipHash) };
  return r.kind === 'bad-block' ? { ...r, hash: toHex(r.hash) } : r;
}

/** `bytes` cut at the given offsets (sorted, deduplicated). */
function cutAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  return out;
}

/** Every event of `chunks` pushed in order. */
function eventsOf(chunks: Iterable<Uint8Array>): ChainFileEvent[] {
  const d = new ChainFileDecoder();
  const out: ChainFileEvent[] = [];
  for (const c of [...chunks, null]) {
    if (c === null) d.finish();
    else d.push(c);
    for (let e = d.next(); e !== null; e = d.next()) {
      out.push(e);
      if (e.kind === 'end' || e.kind === 'damage') return out;
    }
  }
  throw new Error('no terminal event');
}

/** A source that counts the bytes taken from it. */
function counting(chunks: Iterable<Uint8Array>): { source: AsyncIterable<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  async function* source() {
    for (const c of chunks) {
      pulled += c.length;
      yield c;
    }
  }
  return { source: source(), pulled: () => pulled };
}

/** `block` with another nonce whose header fails its proof of work (HIGH_HASH). */
function withBadWork(block: Block): Block {
  for (let nonce = block.header.nonce + 1; ; nonce++) {
    const header = { ...block.header, nonce };
    if (headerPrecheck(DEFAULT_PARAMS, NOW, header, encodeBlock(block).length)?.code === 'HIGH_HASH') return { ...block, header };
  }
}

describe('the incremental decoder', () => {
  it('a valid file: start, then each header before its block, then end; the same blocks as the file holds', () => {
    const events = eventsOf([good]);
    expect(events[0]).toEqual({ kind: 'start', paramsId: DEFAULT_PARAMS.id, declaredBlocks: 13 });
    expect(events.at(-1)).toEqual({ kind: 'end' });
    const kinds = events.slice(1, -1).map((e) => e.kind);
    expect(kinds).toEqual(demo.blocks.flatMap(() => ['header', 'block']));
    const blocks = events.flatMap((e) => (e.kind === 'block' ? [toHex(e.bytes)] : []));
    expect(blocks).toEqual(demo.blocks.map((b) => toHex(encodeBlock(b))));
  });

  it('announces a header having read only the header, and holds at most one block besides the chunk being read', () => {
    const d = new ChainFileDecoder();
    let held = 0;
    const headerAt: number[] = [];
    const blockEnd: number[] = [];
    for (let at = 0; at < good.length; at += 100) {
      d.push(good.subarray(at, at + 100));
      for (let e = d.next(); e !== null && e.kind !== 'end'; e = d.next()) {
        if (e.kind === 'header') headerAt.push(d.consumed);
        if (e.kind === 'block') blockEnd.push(d.consumed);
      }
      held = Math.max(held, d.buffered);
    }
    d.finish();
    expect(d.next()).toEqual({ kind: 'end' });
    const largest = Math.max(...demo.blocks.map((b) => encodeBlock(b).length));
    expect(held).toBeLessThanOrEqual(largest + 100);
    // Each header came out exactly HEADER_BYTES into its block, the block's end (size bytes in) later.
    for (let i = 0; i < demo.blocks.length; i++) expect(blockEnd[i]! - headerAt[i]!).toBe(encodeBlock(demo.blocks[i]!).length - HEADER_BYTES);
  });

  it('a byte after the checksum is refused as it arrives (TRAILING_BYTES), before the end of input', () => {
    const d = new ChainFileDecoder();
    d.push(good);
    d.push(new Uint8Array([0]));
    let e = d.next();
    while (e && e.kind !== 'damage' && e.kind !== 'end') e = d.next();
    expect(e?.kind === 'damage' && [e.error.code, e.blockIndex]).toEqual(['TRAILING_BYTES', null]);
  });

  it('the declared count is held to what arrives: more declared is truncation in the missing block, fewer leaves trailing bytes', () => {
    const blocks = demo.blocks.slice(0, 3).map(encodeBlock);
    const three = encodeChainFile(DEFAULT_PARAMS.id, blocks);
    const countAt = 8 + 2 + 1 + DEFAULT_PARAMS.id.length;
    expect(three[countAt]).toBe(3);
    const more = three.slice();
    more[countAt] = 4;
    const m = eventsOf(rechunk([more], 7)).at(-1)!;
    expect(m.kind === 'damage' && m.blockIndex).toBe(3);
    const fewer = three.slice();
    fewer[countAt] = 2;
    const f = eventsOf(rechunk([fewer], 7)).at(-1)!;
    expect(f.kind === 'damage' && f.error.code).toBe('TRAILING_BYTES');
  });

  it('a changed checksum is BAD_CHECKSUM at the end; an empty or cut file is TRUNCATED', () => {
    const bad = good.slice();
    bad[bad.length - 1]! ^= 1;
    const e = eventsOf(rechunk([bad], 1000)).at(-1)!;
    expect(e.kind === 'damage' && e.error.code).toBe('BAD_CHECKSUM');
    for (const n of [0, 5, 40, good.length - 1]) {
      const cut = eventsOf([good.subarray(0, n)]).at(-1)!;
      expect(cut.kind === 'damage' && cut.error.code, `cut at ${n}`).toBe('TRUNCATED');
    }
  });
});

describe('checked as it is read', () => {
  it('property: a valid or damaged file split into any chunks gives the report the whole file gives', async () => {
    const whole = summary(verifyChainFile(good, NOW));
    expect(whole).toMatchObject({ ok: true, height: 12 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.option(fc.tuple(fc.nat({ max: good.length - 1 }), fc.nat({ max: 7 })), { nil: null }),
        async (cuts, flip) => {
          const bytes = good.slice();
          if (flip) bytes[flip[0]]! ^= 1 << flip[1];
          const expected = flip ? summary(verifyChainFile(bytes, NOW)) : whole;
          expect(summary(await verifyChainStream(cutAt(bytes, cuts), NOW))).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it('one byte at a time gives the same report as whole', async () => {
    const one = [...rechunk([good], 1)];
    expect(summary(await verifyChainStream(one, NOW))).toEqual(summary(verifyChainFile(good, NOW)));
  }, 30_000);

  it('a crafted 64 MiB file whose first block fails its proof of work: HIGH_HASH at block 0, having read one chunk, not the block', async () => {
    const CHUNK = 4096;
    const { source, pulled } = counting(rechunk(craftedChainFile(DEFAULT_PARAMS, NOW, 8), CHUNK));
    const report = await verifyChainStream(source, NOW);
    expect(report.ok === false && report.kind === 'bad-block' && [report.index, report.code]).toEqual([0, 'HIGH_HASH']);
    // The preamble and the block's length (pieces of their own here), then the block's first chunk, holding its header; the block is near 8 MiB.
    expect(pulled()).toBeLessThanOrEqual(CHUNK + 64);
    expect(pulled()).toBeLessThan(MAX_FILE_BLOCK_BYTES / 1000);
  });

  it('a block declared over the network size limit is refused on its header (BLOCK_TOO_LARGE), its body never read', async () => {
    // A genesis header with valid work and a body of a megabyte: refused before the megabyte is read.
    const size = DEFAULT_PARAMS.maxBlockBytes * 2;
    const pieces = [...craftedChainFile(DEFAULT_PARAMS, NOW, 1, size)];
    const block = pieces[2]!;
    let nonce = 0;
    const header = { ...demo.blocks[0]!.header };
    while (headerPrecheck(DEFAULT_PARAMS, NOW, { ...header, nonce }, block.length)?.code !== 'BLOCK_TOO_LARGE') nonce++;
    const body = block.slice();
    body.set(encodeHeader({ ...header, nonce }));
    const file = encodeChainFile(DEFAULT_PARAMS.id, [body]);
    const { source, pulled } = counting(rechunk([file], 4096));
    const report = await verifyChainStream(source, NOW);
    expect(report.ok === false && report.kind === 'bad-block' && [report.index, report.code]).toEqual([0, 'BLOCK_TOO_LARGE']);
    expect(pulled()).toBeLessThanOrEqual(4096);
  });

  it('a header failing its work after an earlier bad block: the earlier block is named, as when the file is read whole', async () => {
    const k = demo.blocks.findIndex((b, i) => i > 2 && b.txs.length > 0);
    const blocks = demo.blocks.map((b, i) => {
      if (i === k) return { ...b, txs: b.txs.map((t, j) => (j === 0 ? { ...t, signature: new Uint8Array(64) } : t)) };
      return i === k + 3 ? withBadWork(b) : b;
    });
    const bytes = fileOf(blocks);
    const report = await verifyChainStream(rechunk([bytes], 512), NOW);
    expect(report).toMatchObject({ ok: false, kind: 'bad-block', index: k, code: 'BAD_TX_SIGNATURE' });
    expect(summary(report)).toEqual(summary(verifyChainFile(bytes, NOW)));
  });

  it('the source is closed when the check stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        yield* rechunk(craftedChainFile(DEFAULT_PARAMS, NOW, 2), 4096);
      } finally {
        closed = true;
      }
    }
    await verifyChainStream(source(), NOW);
    expect(closed).toBe(true);
  });
});
