/**
 * Byzantine validators for the simulator (issue 4): a minority that
 * equivocates (signs conflicting votes and shows different peers different
 * blocks), withholds (never votes, never relays), or sends invalid blocks and
 * malformed votes. Honest nodes must stay safe against all three, and live
 * with the rest of the validators.
 */
import type { BlockNode, ChainState } from '../chain';
import { hexToBytes } from '../bytes';
import type { Finality } from '../finality';
import { encodePayload } from '../payloads';
import type { Prng } from '../prng';
import { publicKeyOf } from '../signature';
import { signTx } from '../sign-tx';
import { blockTemplate, mineBlock } from '../template';
import { type Tx, TxKind } from '../tx';
import { VotePhase, signVote } from '../vote';
import type { Msg } from './network';

export type Behaviour = 'equivocate' | 'withhold' | 'invalid';
export const BEHAVIOURS: readonly Behaviour[] = ['equivocate', 'withhold', 'invalid'];

export interface ByzantineView {
  readonly id: number;
  readonly chain: ChainState;
  readonly finality: Finality;
  readonly key: { readonly secret: Uint8Array; readonly pub: Uint8Array };
  /** Every block this node accepted, newest last. */
  readonly seen: BlockNode[];
  /** Slots ("height/round") it already attacked. */
  readonly done: Set<string>;
}

/** What a Byzantine validator sends this step: messages addressed to single nodes. */
export function byzantineStep(
  behaviour: Behaviour,
  v: ByzantineView,
  nodes: number,
  now: number,
  prng: Prng,
  log: (text: string) => void,
): { to: number; msg: Msg }[] {
  if (behaviour === 'withhold') return [];
  if (behaviour === 'invalid') return invalid(v, nodes, now, prng, log);
  return equivocate(v, nodes, now, log);
}

/** Two candidates at the height under agreement, a different one for each half of the network, in the latest rounds. */
function equivocate(v: ByzantineView, nodes: number, now: number, log: (text: string) => void): { to: number; msg: Msg }[] {
  const { chain, finality } = v;
  const h = finality.height;
  const final = chain.finalized;
  const out: { to: number; msg: Msg }[] = [];
  let candidates = v.seen.filter((b) => b.height === h && b.parent === final);
  if (candidates.length === 0) return [];
  if (candidates.length === 1) {
    // Make a second candidate: a sibling that only half of the network hears of.
    const sibling = mineBlock(blockTemplate(chain, final, [], Math.max(now, final.header.time + 1), v.key.pub));
    const r = chain.addBlock(sibling, now);
    if (r.status !== 'accepted') return [];
    v.seen.push(r.node);
    candidates = [...candidates, r.node];
    for (let to = 0; to < nodes; to++) if (to % 2 === 1) out.push({ to, msg: { type: 'block', block: sibling } });
  }
  // The latest round the others are in (its own votes come back to it through gossip: not counted).
  const top = finality.roundsSeen().find((r) => finality.votersIn(r) >= 2) ?? 0;
  for (const round of [top, top + 1]) {
    if (v.done.has(`${h}/${round}`)) continue;
    v.done.add(`${h}/${round}`);
    log(`node ${v.id} equivocates at ${h}/${round}`);
    const signed = candidates.slice(0, 2).map((c) =>
      [VotePhase.Prevote, VotePhase.Precommit].map((phase) => signVote(chain.genesis.hash, v.key, { height: h, round, phase, block: c.hash }, now)),
    );
    for (let to = 0; to < nodes; to++) for (const tx of signed[to % 2]!) out.push({ to, msg: { type: 'tx', tx } });
  }
  return out;
}

/** Now and then: a block with a forged signature, a block breaking the ledger, or votes that are garbage. */
function invalid(v: ByzantineView, nodes: number, now: number, prng: Prng, log: (text: string) => void): { to: number; msg: Msg }[] {
  if (prng.next() > 0.1) return [];
  const { chain } = v;
  const tip = chain.tip;
  const time = Math.max(now, tip.header.time + 1);
  const kind = prng.int(0, 2);
  let msg: Msg;
  if (kind === 0) {
    // A transaction whose signature is not its author's.
    const stranger = prng.bytes(32);
    const tx = strangerApproval(chain.genesis.hash, stranger, tip, time);
    const forged: Tx = { ...tx, signature: prng.bytes(64) };
    msg = { type: 'block', block: mineBlock(blockTemplate(chain, tip, [forged], time, v.key.pub)) };
    log(`node ${v.id} sends a block with a forged signature`);
  } else if (kind === 1) {
    // A well-signed vote by someone who is not a hospital: the ledger refuses it (stage 3).
    msg = { type: 'block', block: mineBlock(blockTemplate(chain, tip, [strangerApproval(chain.genesis.hash, prng.bytes(32), tip, time)], time, v.key.pub)) };
    log(`node ${v.id} sends a block that breaks the ledger`);
  } else {
    // A vote whose payload does not decode, or one naming a block nobody has.
    const garbage = prng.next() < 0.5;
    const tx = garbage
      ? signTx(chain.genesis.hash, { kind: TxKind.Approval, nonce: 0, time, payload: prng.bytes(prng.int(0, 60)) }, v.key.secret, v.key.pub)
      : signVote(chain.genesis.hash, v.key, { height: v.finality.height, round: 0, phase: VotePhase.Precommit, block: prng.bytes(32) }, time);
    msg = { type: 'tx', tx };
    log(`node ${v.id} sends a ${garbage ? 'malformed' : 'phantom'} vote`);
  }
  return Array.from({ length: nodes }, (_, to) => ({ to, msg }));
}

function strangerApproval(network: Uint8Array, secret: Uint8Array, tip: BlockNode, time: number): Tx {
  const payload = encodePayload({ kind: TxKind.Approval, block: hexToBytes(tip.key), height: tip.height, round: 0, phase: VotePhase.Precommit });
  return signTx(network, { kind: TxKind.Approval, nonce: 1, time, payload }, secret, publicKeyOf(secret));
}
