/**
 * Harness page for misbehaving peers of the node-runtime tests. Each call of
 * `start` joins the test network through the relay as one more peer (its
 * own key; its hello is honest), so one page can play several attackers
 * without a browser context each. The calls act on the first peer unless
 * given its index (`who`, in start order).
 *
 * Attacks: garbage to one peer, an oversized frame to another, a chain whose
 * first block breaks a ledger rule (this peer's chain skips the ledger rules,
 * so it holds and serves that block); the first chunks of a large message
 * with its last one withheld (issue 13, defect 5: memory held by silent
 * peers); and a cheap fork header announced again and again whose block is
 * "not found" just before the asker's request timeout (defect 1).
 */
import { MeshDriver } from '../../../src/lib/adapters/net/mesh-driver';
import type { Transport } from '../../../src/lib/adapters/net/transport';
import type { WebRtcTransport } from '../../../src/lib/adapters/net/webrtc-transport';
import { type Block, blockHash, txRootOf } from '../../../src/lib/core/block';
import { ChainState } from '../../../src/lib/core/chain';
import { fromHex, toHex } from '../../../src/lib/core/bytes';
import { type BlockHeader, headerHash } from '../../../src/lib/core/header';
import { Chunker } from '../../../src/lib/core/net/chunk';
import { MeshNode } from '../../../src/lib/core/net/mesh';
import { type Message, MsgType, NodeRole, RejectCode } from '../../../src/lib/core/net/messages';
import { decodeMessage, encodeMessage } from '../../../src/lib/core/net/wire';
import type { ChainParams } from '../../../src/lib/core/params';
import { requiredBits } from '../../../src/lib/core/retarget';
import { noStateRules } from '../../../src/lib/core/rules';
import { publicKeyOf } from '../../../src/lib/core/signature';
import { blockTemplate, mineBlock } from '../../../src/lib/core/template';
import { VotePhase, signVote } from '../../../src/lib/core/vote';
import { testNetwork } from '../../../src/bench/node-network';
import { expose } from '../../../src/bench/expose';
import { pageTransport } from './lib/webrtc-node';

/** One victim's side of the cheap-fork attack: the fork header announced to it, and when it asked for the block. */
interface ForkTarget {
  key: string;
  announcedAt: number;
  asked: boolean;
}

/** Counters of the cheap-fork attack, for the test to read. */
interface ForkStats {
  announced: number;
  asked: number;
  notFound: number;
}

interface Rogue {
  readonly driver: MeshDriver;
  readonly transport: WebRtcTransport;
  readonly self: { secret: Uint8Array; pub: Uint8Array };
  readonly params: ChainParams;
  /** The latest tip header each peer announced to us (a fork may branch off it). */
  readonly tips: Map<string, BlockHeader>;
  /** Cheap-fork attack state per victim, when running. */
  fork: { readonly targets: Map<string, ForkTarget>; readonly stats: ForkStats; readonly delayMs: number; timer: number } | null;
}

const rogues: Rogue[] = [];
const sec = () => Math.floor(Date.now() / 1000);
const whole = (m: Message): Uint8Array => new Chunker().frames(encodeMessage(m))[0]!;

interface StartArgs {
  relayUrl: string;
  networkId: string;
  validators: number;
  t0: number;
  secretHex: string;
}

/** Joins the network as one more peer; returns its id. */
async function start(o: StartArgs): Promise<string> {
  const net = testNetwork(o.networkId, o.validators, o.t0);
  const chain = new ChainState(net.params, net.genesis, sec(), { rules: noStateRules });
  const secret = fromHex(o.secretHex)!;
  const self = { secret, pub: publicKeyOf(secret) };
  const transport = await pageTransport({ relayUrl: o.relayUrl, networkId: o.networkId, secretHex: o.secretHex });
  const mesh = new MeshNode({ chain, nodeId: self.pub, role: NodeRole.Member });
  const rogue: Rogue = { driver: null as unknown as MeshDriver, transport, self, params: net.params, tips: new Map(), fork: null };
  const driver = new MeshDriver({ mesh, transport: tapped(transport, rogue), role: NodeRole.Member, now: Date.now, announceMinMs: 200 });
  (rogue as { driver: MeshDriver }).driver = driver;
  rogues.push(rogue);
  driver.start();
  return transport.self;
}

/**
 * The transport as the rogue's mesh sees it: frames pass through, except
 * that fellow attackers are refused, tips are noted, and a request for a fork block we announced is held
 * back (answered late by the attack), the rest of the request passing on.
 */
function tapped(t: WebRtcTransport, r: Rogue): Transport {
  return {
    self: t.self,
    start: (h) =>
      t.start({
        ...h,
        // Fellow attackers in this page are no audience: refused at once, so they cost the victims' mesh nothing.
        open: (peer) => {
          if (rogues.some((o) => o.transport.self === peer)) t.disconnect(peer, Date.now() + 3_600_000);
          else h.open(peer);
        },
        close: (peer) => {
          if (!rogues.some((o) => o.transport.self === peer)) h.close(peer);
        },
        frame: (peer, data) => {
          if (rogues.some((o) => o.transport.self === peer)) return;
          const rest = intercept(r, peer, data);
          if (rest) h.frame(peer, rest);
        },
      }),
    send: (peer, frame) => t.send(peer, frame),
    disconnect: (peer, until) => t.disconnect(peer, until),
    announce: (s) => t.announce(s),
    connected: () => t.connected(),
    links: () => t.links(),
    stop: () => t.stop(),
  };
}

/** Returns the frame for the mesh (maybe trimmed), or null when the attack took all of it. */
function intercept(r: Rogue, peer: string, frame: Uint8Array): Uint8Array | null {
  if (frame[0] !== 0) return frame;
  const d = decodeMessage(frame.subarray(1), frame.length);
  if (!d.ok) return frame;
  if (d.msg.type === MsgType.Tip) r.tips.set(peer, d.msg.header);
  const target = r.fork?.targets.get(peer);
  if (d.msg.type !== MsgType.GetBlocks || !target) return frame;
  const ours = d.msg.hashes.find((h) => toHex(h) === target.key);
  if (!ours) return frame;
  answerLate(r, peer, target, ours);
  const others = d.msg.hashes.filter((h) => h !== ours);
  return others.length > 0 ? whole({ type: MsgType.GetBlocks, hashes: others }) : null;
}

/** "Not found" for the fork block, just before the asker would time the request out; then the next fork. */
function answerLate(r: Rogue, peer: string, target: ForkTarget, hash: Uint8Array): void {
  const fork = r.fork!;
  if (target.asked) return;
  target.asked = true;
  fork.stats.asked++;
  setTimeout(() => {
    if (r.transport.send(peer, whole({ type: MsgType.Reject, code: RejectCode.NotFound, subject: hash }))) fork.stats.notFound++;
    if (fork.targets.get(peer) === target) fork.targets.delete(peer);
  }, fork.delayMs);
}

/**
 * A block on `parent` no honest node has (this peer mines it, empty): the
 * cheapest header that passes the header checks at trivial difficulty.
 */
function forkOn(r: Rogue, parent: BlockHeader): Block {
  const bits = requiredBits(r.params, { height: parent.height, bits: parent.bits, time: parent.time }, () => parent.time);
  const header: BlockHeader = {
    ...parent,
    height: parent.height + 1,
    prevHash: headerHash(parent),
    txRoot: txRootOf([]),
    time: Math.max(sec(), parent.time) + 1,
    bits,
    miner: r.self.pub,
    nonce: 0,
  };
  return mineBlock({ header, txs: [] });
}

/**
 * Starts the cheap-fork attack for rogue `who`: to every greeted peer, a tip
 * whose header forks off the highest block it knows of the peer (the peer's
 * last announced tip, else our own tip: genesis on a fresh network), so the
 * header is as cheap as can be and still above the peer's final block (below
 * it, it would be dropped unasked). Each request for that block is answered
 * "not found" `delayMs` after it arrived; a fork never asked for within
 * `reannounceMs` is replaced.
 */
function cheapFork(o: { who?: number; delayMs: number; reannounceMs: number }): void {
  const r = rogues[o.who ?? 0]!;
  if (r.fork) return;
  const fork = { targets: new Map<string, ForkTarget>(), stats: { announced: 0, asked: 0, notFound: 0 }, delayMs: o.delayMs, timer: 0 };
  r.fork = fork;
  const round = () => {
    const now = Date.now();
    for (const p of r.driver.mesh.readyPeers()) {
      const t = fork.targets.get(p.id);
      if (t && (t.asked || now - t.announcedAt < o.reannounceMs)) continue;
      const own = r.driver.mesh.chain.tip.header;
      const theirs = r.tips.get(p.id);
      const block = forkOn(r, theirs && theirs.height > own.height ? theirs : own);
      const key = toHex(blockHash(block));
      if (r.transport.send(p.id, whole({ type: MsgType.Tip, header: block.header, work: 1n << 200n, finalHeight: 0 }))) {
        fork.targets.set(p.id, { key, announcedAt: now, asked: false });
        fork.stats.announced++;
      }
    }
  };
  round();
  fork.timer = window.setInterval(round, 250);
}

/** A chain of `n` blocks whose first carries an approval by a key that is no hospital (NOT_AUTHORISED). */
function offerInvalidChain(n: number): number {
  const r = rogues[0]!;
  const chain = r.driver.mesh.chain;
  const forged = signVote(chain.genesis.hash, r.self, { height: 1, round: 0, phase: VotePhase.Prevote, block: chain.genesis.hash }, sec());
  for (let i = 0; i < n; i++) {
    const block = mineBlock(blockTemplate(chain, chain.tip, i === 0 ? [forged] : [], sec(), r.self.pub));
    if (r.driver.submitBlock(block).status !== 'accepted') throw new Error('rogue block refused by its own chain');
  }
  return chain.height;
}

/**
 * Sends `peer` the chunks of a `total`-byte message of `type` (type byte
 * first, then filler) but its last: a partial message the receiver would
 * keep open. Returns how many chunks the transport took.
 */
function partial(peer: string, type: number, total: number, who = 0): number {
  const msg = new Uint8Array(total).fill(0x5a);
  msg[0] = type;
  const frames = new Chunker().frames(msg).slice(0, -1);
  let sent = 0;
  for (const f of frames) {
    if (!rogues[who]!.transport.send(peer, f)) break;
    sent++;
  }
  return sent;
}

/** A whole-message frame above the 64 KiB a whole frame may carry (a tag 0 then 64 KiB + 39 bytes). */
const oversizedFrame = () => new Uint8Array(64 * 1024 + 40);

expose({
  start,
  offerInvalidChain,
  partial,
  cheapFork,
  forkStats: (who = 0) => rogues[who]!.fork?.stats ?? null,
  height: (who = 0) => rogues[who]!.driver.mesh.chain.height,
  ready: (who = 0) => rogues[who]!.driver.mesh.readyPeers().map((p) => p.id),
  connected: (who = 0) => rogues[who]!.transport.connected(),
  garbage: (peer: string) => rogues[0]!.transport.send(peer, Uint8Array.from([0, 0xff, 0x13, 0x37, 0x00, 0x42])),
  oversized: (peer: string) => rogues[0]!.transport.send(peer, oversizedFrame()),
});
