import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../../../src/lib/core/assert';
import { encodeBlock } from '../../../../src/lib/core/block';
import { Writer } from '../../../../src/lib/core/encoding';
import { writeHeader } from '../../../../src/lib/core/header';
import { InvKind, type Message, MsgType, NodeRole, RejectCode, WIRE_CAPS } from '../../../../src/lib/core/net/messages';
import { decodeMessage, encodeMessage } from '../../../../src/lib/core/net/wire';
import { TxKind } from '../../../../src/lib/core/tx';
import { ALICE, T0, makeTx } from '../helpers';
import { GENESIS, baseBlocks } from './fixtures';

const MAX = 1 << 20;
const h = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const blocks = baseBlocks(3);
const tx = makeTx(TxKind.AddRecord, ALICE, T0, 40);

const SAMPLES: Message[] = [
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
  { type: MsgType.Tip, header: GENESIS.header, work: 123456789n, finalHeight: 0 },
  {
    type: MsgType.Inv,
    items: [
      { kind: InvKind.Block, hash: h(4) },
      { kind: InvKind.Tx, hash: h(5) },
    ],
  },
  { type: MsgType.GetHeaders, locator: [h(6), h(7)], stop: h(0) },
  { type: MsgType.Headers, headers: blocks.map((b) => b.header) },
  { type: MsgType.GetBlocks, hashes: [h(8)] },
  { type: MsgType.Block, block: { header: blocks[0]!.header, txs: [tx] }, size: 0 },
  { type: MsgType.GetTxs, ids: [h(9), h(10)] },
  { type: MsgType.Tx, tx },
  { type: MsgType.Vote, bytes: new Uint8Array([1, 2, 3]) },
  { type: MsgType.Ping, nonce: 2 ** 53 - 1 },
  { type: MsgType.Pong, nonce: 0 },
  { type: MsgType.Reject, code: RejectCode.NotFound, subject: h(11) },
  { type: MsgType.GetBlob, hash: h(12) },
  { type: MsgType.Blob, hash: h(13), bytes: new Uint8Array([4, 5, 6, 7]) },
];

function roundTrip(m: Message): Message {
  const bytes = encodeMessage(m);
  const d = decodeMessage(bytes, MAX);
  if (!d.ok) throw new Error(`decode failed: ${d.code}`);
  expect(encodeMessage(d.msg)).toEqual(bytes);
  return d.msg;
}

describe('wire messages', () => {
  it('every message type round-trips to the same value and bytes', () => {
    for (const m of SAMPLES) {
      const back = roundTrip(m);
      if (m.type === MsgType.Block && back.type === MsgType.Block) {
        expect(back.block).toEqual(m.block);
        expect(back.size).toBe(encodeMessage(m).length - 1);
        // The block's bytes as received are kept (for the store): exactly its encoding.
        expect(back.bytes).toEqual(encodeBlock(m.block));
      } else expect(back).toEqual(m);
    }
    expect(new Set(SAMPLES.map((m) => m.type)).size).toBe(Object.keys(MsgType).length);
  });

  it('any bytes decode to a coded error or to a message that re-encodes to exactly those bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const d = decodeMessage(bytes, MAX);
        if (d.ok) expect(encodeMessage(d.msg)).toEqual(bytes);
        else expect(typeof d.code).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });

  it('valid messages with bytes changed, cut or added never throw, and what decodes is canonical', () => {
    const encoded = SAMPLES.map(encodeMessage);
    fc.assert(
      fc.property(
        fc.nat(encoded.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.integer({ min: -8, max: 8 }),
        (i, edits, resize) => {
          const src = encoded[i]!;
          const len = Math.max(0, src.length + resize);
          const bytes = new Uint8Array(len);
          bytes.set(src.subarray(0, Math.min(len, src.length)));
          for (const [at, v] of edits) if (len > 0) bytes[at % len] = v;
          const d = decodeMessage(bytes, MAX);
          if (d.ok) expect(encodeMessage(d.msg)).toEqual(bytes);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses with codes: unknown type, trailing bytes, truncation, unknown enums, caps, size', () => {
    const code = (b: Uint8Array, max = MAX): string => {
      const d = decodeMessage(b, max);
      return d.ok ? 'ok' : d.code;
    };
    expect(code(new Uint8Array([0]))).toBe('UNKNOWN_KIND');
    expect(code(new Uint8Array([99, 1, 2]))).toBe('UNKNOWN_KIND');
    expect(code(new Uint8Array([]))).toBe('TRUNCATED');
    const ping = encodeMessage({ type: MsgType.Ping, nonce: 5 });
    expect(code(Uint8Array.from([...ping, 0]))).toBe('TRAILING_BYTES');
    expect(code(ping.subarray(0, 5))).toBe('TRUNCATED');
    expect(code(ping, ping.length - 1)).toBe('OVERSIZE');
    const reject = encodeMessage({ type: MsgType.Reject, code: RejectCode.Banned, subject: h(0) });
    expect(code(Uint8Array.from([reject[0]!, 200, ...reject.subarray(2)]))).toBe('UNKNOWN_KIND');
    const hello = encodeMessage(SAMPLES[0]!);
    const roleAt = 1 + 2 + 1 + 'medchain-test'.length + 32 + 32;
    expect(hello[roleAt]).toBe(NodeRole.Hospital);
    const badRole = hello.slice();
    badRole[roleAt] = 9;
    expect(code(badRole)).toBe('UNKNOWN_KIND');
    // More headers than the cap: the count is refused before anything is read.
    const w = new Writer().u8(MsgType.Headers).varuint(WIRE_CAPS.headers + 1);
    writeHeader(w, GENESIS.header);
    expect(code(w.finish())).toBe('OVERSIZE');
    const vote = new Writer()
      .u8(MsgType.Vote)
      .bytes(new Uint8Array(WIRE_CAPS.voteBytes + 1), WIRE_CAPS.voteBytes + 1)
      .finish();
    expect(code(vote)).toBe('OVERSIZE');
    const locator = new Writer()
      .u8(MsgType.GetHeaders)
      .varuint(WIRE_CAPS.locatorHashes + 1)
      .finish();
    expect(code(locator)).toBe('OVERSIZE');
  });

  it('our own message over a cap is a bug (AssertionError), not a silent cut', () => {
    expect(() => encodeMessage({ type: MsgType.Vote, bytes: new Uint8Array(WIRE_CAPS.voteBytes + 1) })).toThrow(AssertionError);
  });
});
