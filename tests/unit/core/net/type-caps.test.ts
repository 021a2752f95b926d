/**
 * The cap a chunked message gets from its type (type-caps.ts): only blocks,
 * transactions and blobs may be chunked; every other type must fit one frame
 * even at its wire caps, which is what lets reassembly refuse a chunked one
 * at its first chunk.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { CHUNK_BYTES } from '../../../../src/lib/core/net/chunk';
import { meshConfig } from '../../../../src/lib/core/net/config';
import { InvKind, type Message, MsgType, NodeRole, RejectCode, WIRE_CAPS } from '../../../../src/lib/core/net/messages';
import { chunkedCap } from '../../../../src/lib/core/net/type-caps';
import { encodeMessage } from '../../../../src/lib/core/net/wire';
import { GENESIS } from './fixtures';

const hash = new Uint8Array(32).fill(0xee);
const hashes = (n: number): Uint8Array[] => Array.from({ length: n }, () => hash);
const big = 2n ** 255n;

/** The largest message of every type that is never chunked. */
const LARGEST: readonly Message[] = [
  {
    type: MsgType.Hello,
    version: 0xffff,
    networkId: 'n'.repeat(WIRE_CAPS.networkIdBytes),
    genesis: hash,
    nodeId: hash,
    role: NodeRole.Hospital,
    tipHash: hash,
    tipHeight: 0xffffffff,
    tipWork: big,
    finalHeight: 0xffffffff,
  },
  { type: MsgType.Tip, header: GENESIS.header, work: big, finalHeight: 0xffffffff },
  { type: MsgType.Inv, items: hashes(WIRE_CAPS.invItems).map((h) => ({ kind: InvKind.Tx, hash: h })) },
  { type: MsgType.GetHeaders, locator: hashes(WIRE_CAPS.locatorHashes), stop: hash },
  { type: MsgType.Headers, headers: Array.from({ length: WIRE_CAPS.headers }, () => GENESIS.header) },
  { type: MsgType.GetBlocks, hashes: hashes(WIRE_CAPS.getBlocks) },
  { type: MsgType.GetTxs, ids: hashes(WIRE_CAPS.invItems) },
  { type: MsgType.Vote, bytes: new Uint8Array(WIRE_CAPS.voteBytes) },
  { type: MsgType.Ping, nonce: Number.MAX_SAFE_INTEGER },
  { type: MsgType.Pong, nonce: Number.MAX_SAFE_INTEGER },
  { type: MsgType.Reject, code: RejectCode.TooManyPeers, subject: hash },
  { type: MsgType.GetBlob, hash },
];

describe('chunked caps by message type', () => {
  const config = meshConfig(TEST_PARAMS);

  it('every type but block, transaction and blob fits one frame at its wire caps, and may never be chunked', () => {
    for (const m of LARGEST) {
      expect(encodeMessage(m).length, `type ${m.type}`).toBeLessThanOrEqual(CHUNK_BYTES);
      expect(chunkedCap(config, m.type)).toBe(0);
    }
    // Every type is decided: a new one must be added here or to the chunked three.
    const decided = new Set([...LARGEST.map((m) => m.type), MsgType.Block, MsgType.Tx, MsgType.Blob]);
    expect([...decided].sort((a, b) => a - b)).toEqual(Object.values(MsgType).sort((a, b) => a - b));
  });

  it('blocks, transactions and blobs get their own caps; an unknown type gets none', () => {
    expect(chunkedCap(config, MsgType.Block)).toBe(TEST_PARAMS.maxBlockBytes + 1024);
    expect(chunkedCap(config, MsgType.Tx)).toBe(TEST_PARAMS.maxTxBytes + 1024);
    expect(chunkedCap(config, MsgType.Blob)).toBe(config.maxBlobMessageBytes);
    expect(config.maxBlobMessageBytes).toBeGreaterThan(10 * 1024 * 1024);
    for (const t of [0, 16, 99, 255]) expect(chunkedCap(config, t)).toBeNull();
  });

  it('the budgets follow the message sizes: a peer holds a blob and a block, the node its blobs in flight and eight blocks', () => {
    expect(config.peerPartialBytes).toBe(config.maxBlobMessageBytes + config.maxMessageBytes);
    expect(config.partialBytes).toBe(config.blobsInFlight * config.maxBlobMessageBytes + 8 * config.maxMessageBytes);
    const small = meshConfig(TEST_PARAMS, { maxBlobMessageBytes: 1000, maxMessageBytes: 100, blobsInFlight: 2 });
    expect([small.peerPartialBytes, small.partialBytes]).toEqual([1100, 2800]);
    expect(meshConfig(TEST_PARAMS, { partialBytes: 5 }).partialBytes).toBe(5);
  });
});
