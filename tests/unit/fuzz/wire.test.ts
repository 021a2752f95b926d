/**
 * Fuzzing what a peer's bytes reach first (issue 13): the mesh message
 * decoder, for every message type, and the chunk reassembler.
 *
 * Budgets:
 * - decodeMessage never throws (it returns a coded error); an accepted
 *   message re-encodes to exactly its bytes; it holds ≤ 1 byte per input
 *   byte + 16 (a block message's `bytes` is a view of the input, not a copy);
 *   ≤ 6 Reader operations per input byte + 8; no copy longer than the input.
 * - Reassembler never throws; at every moment the bytes it holds ≤ the bytes
 *   it reserved ≤ the peer's budget, and the node-wide pool agrees; open
 *   partial messages ≤ maxPartials; a reassembled message is never longer
 *   than its type's cap, and never carries more bytes than the frames that
 *   arrived (each byte is copied once on arrival, once into the message).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecodeResult, decodeMessage, encodeMessage } from '../../../src/lib/core/net/wire';
import { CHUNK_HEADER, Chunker, Reassembler, ReassemblyPool, type ReassemblyLimits } from '../../../src/lib/core/net/chunk';
import { InvKind, type Message, MsgType, NodeRole, RejectCode } from '../../../src/lib/core/net/messages';
import { DecodeError } from '../../../src/lib/core/errors';
import { decoderProperties } from './support/decoder-suite';
import { BLOCKS, HEADERS, TXS, h } from './support/samples';
import { applyMutation, mutation } from './support/mutate';

const MAX = 1 << 20;

/** A message of every type (more than one where the type has lists). */
const MESSAGES: Message[] = [
  {
    type: MsgType.Hello,
    version: 1,
    networkId: 'medchain-test',
    genesis: h(1),
    nodeId: h(2),
    role: NodeRole.Hospital,
    tipHash: h(3),
    tipHeight: 42,
    tipWork: (1n << 200n) + 7n,
    finalHeight: 40,
  },
  { type: MsgType.Tip, header: HEADERS[1]!, work: 123456789n, finalHeight: 0 },
  {
    type: MsgType.Inv,
    items: [
      { kind: InvKind.Block, hash: h(4) },
      { kind: InvKind.Tx, hash: h(5) },
    ],
  },
  { type: MsgType.GetHeaders, locator: [h(6), h(7)], stop: h(0) },
  { type: MsgType.Headers, headers: HEADERS.slice(0, 3) },
  { type: MsgType.GetBlocks, hashes: [h(8), h(9)] },
  { type: MsgType.Block, block: BLOCKS[2]!, size: 0 },
  { type: MsgType.Block, block: BLOCKS[0]!, size: 0 },
  { type: MsgType.GetTxs, ids: [h(9), h(10)] },
  { type: MsgType.Tx, tx: TXS[7]! },
  { type: MsgType.Tx, tx: TXS[15]! },
  { type: MsgType.Vote, bytes: new Uint8Array([1, 2, 3]) },
  { type: MsgType.Ping, nonce: 2 ** 53 - 1 },
  { type: MsgType.Pong, nonce: 0 },
  { type: MsgType.Reject, code: RejectCode.NotFound, subject: h(11) },
  { type: MsgType.GetBlob, hash: h(12) },
  { type: MsgType.Blob, hash: h(13), bytes: new Uint8Array([4, 5, 6, 7]) },
];

/** decodeMessage in the suite's terms: a coded result becomes a DecodeError, and any throw fails. */
function decode(bytes: Uint8Array): Message {
  let d: DecodeResult;
  try {
    d = decodeMessage(bytes, MAX);
  } catch (e) {
    throw new Error(`decodeMessage threw: ${String(e)}`, { cause: e });
  }
  if (!d.ok) throw new DecodeError(d.code, 'refused', d.offset);
  return d.msg;
}

describe('fuzz: decodeMessage', () => {
  it('the seeds cover every message type', () => {
    expect(new Set(MESSAGES.map((m) => m.type)).size).toBe(Object.keys(MsgType).length);
  });
  decoderProperties({ decode, encode: encodeMessage, seeds: MESSAGES.map(encodeMessage), runs: { random: 400, mutants: 1500 } });
});

/** Small chunks, so short fuzzed messages are chunked too. */
const CHUNK = 16;
const CAPS: Record<number, number> = { [MsgType.Block]: 200, [MsgType.Blob]: 120, [MsgType.Headers]: 90, [MsgType.Vote]: 0 };
const LIMITS: ReassemblyLimits = {
  maxBytes: (type) => (type in CAPS ? CAPS[type]! : type >= 1 && type <= 15 ? 0 : null),
  maxPartials: 3,
  budgetBytes: 400,
  timeoutMs: 1000,
  chunkBytes: CHUNK,
};

/** A peer's frames: chunks of real messages (some mutated), and arbitrary frames, with time passing. */
const frames = fc.array(
  fc.tuple(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((b) => [b]),
      fc
        .tuple(
          fc.constantFrom(MsgType.Block, MsgType.Blob, MsgType.Headers, MsgType.Vote, 99),
          fc.integer({ min: 1, max: 260 }),
          fc.array(mutation, { maxLength: 2 }),
        )
        .map(([type, len, ms]) => {
          const msg = new Uint8Array(len).fill(0x5a);
          msg[0] = type;
          const fs = new Chunker(CHUNK).frames(msg);
          // Mutations land in one frame of the message (its header fields included).
          return ms.length === 0 ? fs : fs.map((f, i) => (i === ms[0]!.at % fs.length ? ms.reduce(applyMutation, f) : f));
        }),
    ),
    fc.nat({ max: 700 }),
  ),
  { maxLength: 30 },
);

describe('fuzz: chunk Reassembler', () => {
  it('any frames: no throw, held ≤ reserved ≤ budget, partials capped, messages within their caps', () => {
    fc.assert(
      fc.property(frames, (script) => {
        const pool = new ReassemblyPool(600);
        const peers = [new Reassembler(LIMITS, pool), new Reassembler(LIMITS, pool)];
        let now = 0;
        let arrived = 0;
        let delivered = 0;
        script.forEach(([fs, wait], i) => {
          now += wait;
          const r = peers[i % 2]!;
          for (const f of fs) {
            arrived += f.length;
            const out = r.accept(f, now);
            if (out.kind === 'message') {
              delivered += out.bytes.length;
              const whole = f[0] === 0;
              if (whole) expect(out.bytes.length).toBeLessThanOrEqual(CHUNK);
              else expect(out.bytes.length).toBeLessThanOrEqual(CAPS[out.bytes[0]!] ?? 0);
            }
            for (const p of peers) {
              expect(p.held).toBeLessThanOrEqual(p.reserved);
              expect(p.reserved).toBeLessThanOrEqual(LIMITS.budgetBytes);
              expect(p.open).toBeLessThanOrEqual(LIMITS.maxPartials);
            }
            expect(pool.held).toBe(peers[0]!.held + peers[1]!.held);
            expect(pool.reserved).toBe(peers[0]!.reserved + peers[1]!.reserved);
            expect(pool.reserved).toBeLessThanOrEqual(pool.budgetBytes);
            expect(delivered).toBeLessThanOrEqual(arrived);
          }
        });
        // Dropping everything gives every byte back to the pool.
        for (const p of peers) p.clear();
        expect([pool.held, pool.reserved]).toEqual([0, 0]);
      }),
      { numRuns: 400 },
    );
  });

  it('a first chunk announcing 2^32 - 1 bytes is refused before anything is kept', () => {
    const f = new Uint8Array(CHUNK_HEADER + CHUNK);
    const v = new DataView(f.buffer);
    f[0] = 1;
    v.setUint16(7, 0xffff);
    v.setUint32(9, 0xffffffff);
    f[CHUNK_HEADER] = MsgType.Blob;
    const r = new Reassembler({ ...LIMITS, maxBytes: () => 1 << 20, budgetBytes: Number.POSITIVE_INFINITY });
    expect(r.accept(f, 0)).toEqual({ kind: 'fault', fault: 'OVERSIZE' });
    expect([r.held, r.reserved, r.open]).toEqual([0, 0, 0]);
  });
});
