/**
 * Fuzzing the chain-file reader (issue 13): a chain file is a file anyone
 * can hand a node. The incremental decoder (chainfile-decoder.ts) gets
 * arbitrary bytes and mutated valid files (checksum kept, or recomputed so
 * the mutation is the only fault), pushed in arbitrary chunks.
 *
 * Budgets:
 * - `next()` never throws; after `finish()` it reaches `end` or `damage`
 *   within (bytes + 2) events, and a damage event carries a DecodeError;
 * - canonical: a file that reaches `end` is exactly encodeChainFile of the
 *   network id and the blocks it gave;
 * - memory: besides input not yet consumed, the decoder holds at most one
 *   block, ≤ MAX_FILE_BLOCK_BYTES (8 MiB), and nothing for a length over
 *   that limit (a 2^31 block length is refused before allocating). A
 *   declared length between 118 bytes and 8 MiB *is* allocated once its
 *   header has arrived, before the rest of the block does (by design: one
 *   block at a time);
 * - CPU: ≤ 6 Reader operations per input byte + 8 per event.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBlock } from '../../../src/lib/core/block';
import { concatBytes } from '../../../src/lib/core/bytes';
import { MAX_FILE_BLOCK_BYTES, encodeChainFile } from '../../../src/lib/core/chainfile';
import { ChainFileDecoder, type ChainFileEvent } from '../../../src/lib/core/chainfile-decoder';
import { CHECKSUM_TAG } from '../../../src/lib/core/chainfile-format';
import { Writer } from '../../../src/lib/core/encoding';
import { DecodeError } from '../../../src/lib/core/errors';
import { taggedHash } from '../../../src/lib/core/hash';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { READS_FIXED, READS_PER_BYTE, externalGrowth, metered } from './support/budget';
import { mutant } from './support/mutate';
import { BLOCKS } from './support/samples';

const FILES = [
  encodeChainFile(TEST_PARAMS.id, BLOCKS.slice(0, 2).map(encodeBlock)),
  encodeChainFile(TEST_PARAMS.id, []),
  encodeChainFile('x', [encodeBlock(BLOCKS[2]!)]),
];
const rechecksum = (file: Uint8Array) => (file.length < 32 ? file : concatBytes(file.subarray(0, -32), taggedHash(CHECKSUM_TAG, file.subarray(0, -32))));

/** Pushes `file` in chunks cut at `cuts`, drains events, and checks every budget; returns the events. */
function readAll(file: Uint8Array, cuts: readonly number[]): ChainFileEvent[] {
  const at = [...new Set(cuts.map((c) => c % (file.length + 1)))].sort((a, b) => a - b);
  const chunks = [...at, file.length].map((end, i, all) => file.subarray(i === 0 ? 0 : all[i - 1]!, end));
  const d = new ChainFileDecoder();
  const events: ChainFileEvent[] = [];
  let pushed = 0;
  const { meter } = metered(() => {
    for (const c of [...chunks, null]) {
      if (c === null) d.finish();
      else {
        d.push(c);
        pushed += c.length;
      }
      for (let e = d.next(); e !== null; e = d.next()) {
        events.push(e);
        expect(d.buffered - (pushed - d.consumed)).toBeLessThanOrEqual(MAX_FILE_BLOCK_BYTES);
        if (e.kind === 'end' || e.kind === 'damage') return;
        expect(events.length).toBeLessThanOrEqual(file.length + 2);
      }
    }
  });
  expect(meter.reads).toBeLessThanOrEqual(READS_PER_BYTE * file.length + READS_FIXED * (events.length + 1));
  const last = events.at(-1)!;
  expect(['end', 'damage']).toContain(last.kind);
  if (last.kind === 'damage') expect(last.error).toBeInstanceOf(DecodeError);
  if (last.kind === 'end') {
    const start = events[0]!;
    const blocks = events.flatMap((e) => (e.kind === 'block' ? [e.bytes] : []));
    expect(start.kind === 'start' && encodeChainFile(start.paramsId, blocks)).toEqual(file);
  }
  return events;
}

const cuts = fc.array(fc.nat({ max: 1 << 16 }), { maxLength: 6 });

describe('fuzz: ChainFileDecoder', () => {
  it('valid files in any chunks: every block, then end', () => {
    fc.assert(
      fc.property(fc.nat({ max: FILES.length - 1 }), cuts, (i, c) => {
        expect(readAll(FILES[i]!, c).at(-1)!.kind).toBe('end');
      }),
      { numRuns: 60 },
    );
  });

  it('arbitrary bytes, and arbitrary bytes after a valid preamble: damage or end, never a throw, within budget', () => {
    const preamble = FILES[1]!.subarray(0, -33);
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 400 }), cuts, (prefixed, tail, c) => void readAll(prefixed ? concatBytes(preamble, tail) : tail, c)),
      { numRuns: 300 },
    );
  });

  it('mutated valid files, checksum kept or recomputed: damage or end, never a throw, within budget', () => {
    fc.assert(
      fc.property(mutant(FILES), fc.boolean(), cuts, ({ bytes }, again, c) => void readAll(again ? rechecksum(bytes) : bytes, c)),
      { numRuns: 500 },
    );
  });

  it('a block length of 2^31 or of the limit plus one is refused (OVERSIZE) without allocating it', () => {
    const head = FILES[1]!.subarray(0, -33); // magic, version, network id; the count and checksum follow
    for (const n of [2 ** 31, MAX_FILE_BLOCK_BYTES + 1, 2 ** 53 - 1]) {
      const file = concatBytes(head, new Writer().varuint(1).varuint(n).finish(), new Uint8Array(200));
      let events: ChainFileEvent[] = [];
      expect(externalGrowth(() => (events = readAll(file, [])))).toBeLessThan(MAX_FILE_BLOCK_BYTES);
      const last = events.at(-1)!;
      expect(last.kind === 'damage' && [last.error.code, last.blockIndex]).toEqual(['OVERSIZE', 0]);
    }
  });
});
