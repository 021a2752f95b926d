/**
 * Fuzzing the mesh protocol's message handling (issue 13) past the decoder:
 * a greeted peer sends sequences of *valid* messages about the victim's own
 * chain (tips, headers and blocks above its tip, locators, requests for its
 * blocks, transactions, votes, blobs, rejects, pings), any of them with
 * bytes mutated — so fields are wrong while the message still decodes and
 * reaches the handlers. (tests/unit/core/net/misbehaviour.test.ts feeds
 * arbitrary frames; this reaches further.)
 *
 * Budgets:
 * - MeshNode.handle never throws;
 * - CPU: one frame costs ≤ 6 Reader operations per frame byte + 8 (the
 *   frames here are whole messages; the node decodes each once);
 * - memory: the node's reassembly holds ≤ its reserved bytes ≤ the
 *   configured `partialBytes`;
 * - afterwards an honest peer still brings the victim to its tip within ten
 *   seconds. (This fuzzer found that a peer sending headers and withholding
 *   a block held its download until the header went stale, 120 s, though an
 *   honest peer announced a tip above it: an announced tip now makes its
 *   announcer a source of the headers below it; cheap-fork.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockHash } from '../../../src/lib/core/block';
import { Chunker } from '../../../src/lib/core/net/chunk';
import { meshConfig } from '../../../src/lib/core/net/config';
import { InvKind, type Message, MsgType, RejectCode } from '../../../src/lib/core/net/messages';
import { encodeMessage } from '../../../src/lib/core/net/wire';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { TxKind } from '../../../src/lib/core/tx';
import { encodePayload } from '../../../src/lib/core/payloads';
import { ALICE, T0, makeTx } from '../core/helpers';
import { baseBlocks, makeNodes, mine, sameTip } from '../core/net/fixtures';
import { ScriptedPeer } from '../core/net/scripted-peer';
import { SimNet } from '../core/net/sim-net';
import { READS_FIXED, READS_PER_BYTE, metered } from './support/budget';
import { applyMutation, mutation } from './support/mutate';
import { PAYLOADS, h } from './support/samples';

const chain = baseBlocks(6);
const [b4, b5, b6] = [chain[3]!, chain[4]!, chain[5]!];
const hashes = chain.map(blockHash);
const vote = makeTx(TxKind.Approval, ALICE, T0, encodePayload(PAYLOADS[TxKind.Approval]), 77);

/** Valid messages about the victim's chain (it holds blocks 1 to 3; 4 to 6 are new to it). */
const MESSAGES: Message[] = [
  { type: MsgType.Tip, header: b6.header, work: 1n << 40n, finalHeight: 0 },
  {
    type: MsgType.Inv,
    items: [
      { kind: InvKind.Block, hash: hashes[3]! },
      { kind: InvKind.Tx, hash: h(5) },
    ],
  },
  { type: MsgType.GetHeaders, locator: [hashes[2]!, hashes[0]!], stop: h(0) },
  { type: MsgType.Headers, headers: [b4.header, b5.header, b6.header] },
  { type: MsgType.GetBlocks, hashes: hashes.slice(0, 3) },
  { type: MsgType.Block, block: b4, size: 0 },
  { type: MsgType.Block, block: b5, size: 0 },
  { type: MsgType.GetTxs, ids: [h(9)] },
  { type: MsgType.Tx, tx: makeTx(TxKind.AddRecord, ALICE, T0 + 100, 40, 78) },
  { type: MsgType.Vote, bytes: encodeMessage({ type: MsgType.Tx, tx: vote }).subarray(1) },
  { type: MsgType.Ping, nonce: 7 },
  { type: MsgType.Pong, nonce: 7 },
  { type: MsgType.Reject, code: RejectCode.NotFound, subject: hashes[4]! },
  { type: MsgType.GetBlob, hash: h(12) },
  { type: MsgType.Blob, hash: h(13), bytes: new Uint8Array([4, 5, 6, 7]) },
];
const ENCODED = MESSAGES.map(encodeMessage);

/** The conversation that brings the victim blocks 4 to 6: tip, then (asked for) headers, then (asked for) blocks. */
const CONVERSATION = [
  encodeMessage({ type: MsgType.Tip, header: b6.header, work: 1n << 40n, finalHeight: 0 }),
  encodeMessage({ type: MsgType.Headers, headers: [b4.header, b5.header, b6.header] }),
  ...[b4, b5, b6].map((block) => encodeMessage({ type: MsgType.Block, block, size: 0 })),
];

/** Other messages (mutated or not) sent between two conversation steps. */
const extras = fc.array(
  fc.tuple(fc.nat({ max: ENCODED.length - 1 }), fc.array(mutation, { maxLength: 2 })).map(([i, ms]) => ms.reduce(applyMutation, ENCODED[i]!)),
  { minLength: 1, maxLength: 2 },
);

/** Each conversation step, mutated one time in five, then (one time in four) other messages, then a pause. */
const script = fc.tuple(
  ...CONVERSATION.map((bytes) =>
    fc.tuple(
      fc.option(mutation, { freq: 4 }).map((m) => (m ? applyMutation(bytes, m) : bytes)),
      fc.oneof({ weight: 3, arbitrary: fc.constant<Uint8Array[]>([]) }, { weight: 1, arbitrary: extras }),
      fc.nat({ max: 200 }),
    ),
  ),
);

/** The conversation as an honest peer would hold it: one example always run. */
type Script = typeof script extends fc.Arbitrary<infer T> ? T : never;
const HONEST = CONVERSATION.map((bytes) => [bytes, [], 50]) as unknown as Script;

describe('fuzz: MeshNode.handle with valid and mutated messages from a greeted peer', () => {
  it('never throws, stays within its budgets, and still syncs with an honest peer', () => {
    const config = meshConfig(TEST_PARAMS);
    let reachedBlocks = 0;
    fc.assert(
      fc.property(script, (steps) => {
        const net = new SimNet('fuzz-mesh', [1, 5]);
        const [victim, other] = makeNodes(net, 'fuzz-mesh', 2, { blocks: chain.slice(0, 3) });
        const bad = new ScriptedPeer(net, 'fuzz-mesh');
        net.connect(bad.id, victim!.id);
        bad.send(victim!.id, bad.hello(victim!.mesh.chain));
        net.runFor(50);
        const chunker = new Chunker();
        for (const [main, extras, pause] of steps) {
          for (const bytes of [main, ...extras])
            for (const frame of chunker.frames(bytes)) {
              const { value: actions, meter } = metered(() => victim!.mesh.handle({ kind: 'frame', peer: bad.id, data: frame, now: net.now }));
              expect(meter.reads).toBeLessThanOrEqual(READS_PER_BYTE * frame.length + READS_FIXED);
              net.perform(victim!.id, actions);
            }
          net.runFor(pause);
          const r = victim!.mesh.reassembly;
          expect(r.held).toBeLessThanOrEqual(r.reserved);
          expect(r.reserved).toBeLessThanOrEqual(config.partialBytes);
        }
        net.runFor(1000);
        if (victim!.mesh.chain.height > 3) reachedBlocks++;
        net.connect(victim!.id, other!.id);
        for (const b of chain.slice(3)) other!.mesh.submitBlock(b, net.now);
        mine(net, other!);
        expect(net.run(() => sameTip([victim!, other!]), 10_000)).toBe(true);
      }),
      { numRuns: 40, examples: [[HONEST]] },
    );
    // The scripts reach block handling (the victim took some of the peer's blocks), not just the decoder.
    expect(reachedBlocks).toBeGreaterThan(0);
  });
});
