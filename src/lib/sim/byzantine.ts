/**
 * Byzantine validators as peers of the simulated network (issue 4, issue
 * 14): each runs the shipped node as a member (so it speaks the protocol:
 * hello, sync, serving blocks) and adds its misbehaviour on top, as frames
 * sent to single peers. A minority that equivocates (signs conflicting
 * votes and shows different peers different blocks), withholds (connects
 * and says nothing), or sends invalid blocks and malformed votes. Honest
 * nodes must stay safe against all three, and live with the rest.
 */
import { type Block, blockHash } from '../core/block';
import type { BlockNode } from '../core/chain';
import { hexToBytes, toHex } from '../core/bytes';
import { Chunker } from '../core/net/chunk';
import { type Message, MsgType } from '../core/net/messages';
import { encodeMessage } from '../core/net/wire';
import { encodePayload } from '../core/payloads';
import type { Prng } from '../core/prng';
import { publicKeyOf } from '../core/signature';
import { signTx } from '../core/sign-tx';
import { blockTemplate, mineBlock } from '../core/template';
import { type Tx, TxKind, encodeTx } from '../core/tx';
import { VotePhase, signVote } from '../core/vote';
import type { FullNode } from '../node/node';

export type Behaviour = 'equivocate' | 'withhold' | 'invalid';
export const BEHAVIOURS: readonly Behaviour[] = ['equivocate', 'withhold', 'invalid'];

export interface ByzantinePeer {
  readonly index: number;
  readonly node: FullNode;
  /** Its validator key (the node itself runs as a member and never votes honestly). */
  readonly key: { readonly secret: Uint8Array; readonly pub: Uint8Array };
  /** Slots ("height/round") it already attacked. */
  readonly done: Set<string>;
  /** Its own sibling blocks, by height. */
  readonly siblings: Map<number, BlockNode>;
}

/** Sends `msg` to `peer` as the mesh would frame it. */
function send(b: ByzantinePeer, peer: string, msg: Message): void {
  for (const f of new Chunker().frames(encodeMessage(msg))) b.node.transport.send(peer, f);
}

/** Peers it completed a hello with: validators first (so each half holds some), in a fixed order. */
const peersOf = (b: ByzantinePeer): string[] => {
  const ready = b.node.driver.mesh.readyPeers();
  return [...ready.filter((p) => p.validator), ...ready.filter((p) => !p.validator)].map((p) => p.id);
};

/** What a Byzantine validator does this step (seconds clock `now`). Withholding is the network's job (SeededLinks.silenced). */
export function byzantineStep(behaviour: Behaviour, b: ByzantinePeer, now: number, prng: Prng, log: (text: string) => void): void {
  if (behaviour === 'equivocate') equivocate(b, now, log);
  else if (behaviour === 'invalid') invalid(b, now, prng, log);
}

/** Two candidates at the height under agreement, a different one for each half of its peers, in the latest rounds. */
function equivocate(b: ByzantinePeer, now: number, log: (text: string) => void): void {
  const chain = b.node.chain;
  const finality = b.node.agreement.finality;
  const h = finality.height;
  const final = chain.finalized;
  const peers = peersOf(b);
  if (peers.length === 0) return;
  const active = chain.atHeight(h);
  if (!active || active.parent !== final) return;
  let sibling = b.siblings.get(h);
  if (!sibling) {
    // A sibling that only half of its peers hear of, made to win fork choice's tie-break (equal work, lower hash) where it is heard.
    let block = mineBlock(blockTemplate(chain, final, [], Math.max(now, final.header.time + 1), b.key.pub));
    for (let k = 1; k < 64 && toHex(blockHash(block)) < active.key; k++)
      block = mineBlock(blockTemplate(chain, final, [], Math.max(now, final.header.time + 1) + k, b.key.pub));
    const r = chain.addBlock(block, now);
    if (r.status !== 'accepted') return;
    sibling = r.node;
    b.siblings.set(h, sibling);
    peers.forEach((p, i) => i % 2 === 1 && send(b, p, { type: MsgType.Tip, header: sibling!.header, work: sibling!.chainWork, finalHeight: final.height }));
  }
  const candidates = [active, sibling];
  // The latest round the others are in.
  const top = finality.roundsSeen().find((r) => finality.votersIn(r) >= 2) ?? 0;
  for (const round of [top, top + 1]) {
    if (b.done.has(`${h}/${round}`)) continue;
    b.done.add(`${h}/${round}`);
    log(`node ${b.index} equivocates at ${h}/${round}`);
    const signed = candidates.map((c) =>
      [VotePhase.Prevote, VotePhase.Precommit].map((phase) => signVote(chain.genesis.hash, b.key, { height: h, round, phase, block: c.hash }, now)),
    );
    peers.forEach((p, i) => {
      for (const tx of signed[i % 2]!) send(b, p, { type: MsgType.Vote, bytes: encodeTx(tx) });
    });
  }
}

/** Now and then: a block with a forged signature, a block breaking the ledger, or votes that are garbage. */
function invalid(b: ByzantinePeer, now: number, prng: Prng, log: (text: string) => void): void {
  if (prng.next() > 0.1) return;
  const chain = b.node.chain;
  const tip = chain.tip;
  const time = Math.max(now, tip.header.time + 1);
  const kind = prng.int(0, 2);
  let msg: Message;
  if (kind === 0) {
    // A transaction whose signature is not its author's.
    const tx = strangerApproval(chain.genesis.hash, prng.bytes(32), tip, time);
    const forged: Tx = { ...tx, signature: prng.bytes(64) };
    msg = blockMsg(mineBlock(blockTemplate(chain, tip, [forged], time, b.key.pub)));
    log(`node ${b.index} sends a block with a forged signature`);
  } else if (kind === 1) {
    // A well-signed vote by someone who is not a hospital: the ledger refuses it (stage 3).
    msg = blockMsg(mineBlock(blockTemplate(chain, tip, [strangerApproval(chain.genesis.hash, prng.bytes(32), tip, time)], time, b.key.pub)));
    log(`node ${b.index} sends a block that breaks the ledger`);
  } else {
    // A vote whose payload does not decode, or one naming a block nobody has.
    const garbage = prng.next() < 0.5;
    const tx = garbage
      ? signTx(chain.genesis.hash, { kind: TxKind.Approval, nonce: 0, time, payload: prng.bytes(prng.int(0, 60)) }, b.key.secret, b.key.pub)
      : signVote(chain.genesis.hash, b.key, { height: b.node.agreement.finality.height, round: 0, phase: VotePhase.Precommit, block: prng.bytes(32) }, time);
    msg = { type: MsgType.Vote, bytes: encodeTx(tx) };
    log(`node ${b.index} sends a ${garbage ? 'malformed' : 'phantom'} vote`);
  }
  for (const p of peersOf(b)) send(b, p, msg);
}

function blockMsg(block: Block): Message {
  return { type: MsgType.Block, block, size: 0 };
}

function strangerApproval(network: Uint8Array, secret: Uint8Array, tip: BlockNode, time: number): Tx {
  const payload = encodePayload({ kind: TxKind.Approval, block: hexToBytes(tip.key), height: tip.height, round: 0, phase: VotePhase.Precommit });
  return signTx(network, { kind: TxKind.Approval, nonce: 1, time, payload }, secret, publicKeyOf(secret));
}
