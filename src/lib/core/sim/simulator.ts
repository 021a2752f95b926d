/**
 * A deterministic network simulator for the agreement layer (issue 4), in the
 * manner of yjs' TestConnector: every node is the pure core (ChainState with
 * the ledger, Finality, the honest ValidatorPolicy) over an in-memory network
 * whose delays, drops, duplicates, reordering, partitions, crashes and clock
 * skews all come from one seeded generator. The same seed replays the same
 * run; a failure prints its seed and a trace.
 *
 * After every step it checks safety: no two nodes hold conflicting final
 * blocks, and no node's final block ever reverts. After the faults heal it
 * checks liveness: every submitted transaction final everywhere, every node
 * on the same final block.
 *
 * First version: honest validators only (the Byzantine behaviours and the
 * rounds that resolve split votes come next; see docs/consensus.md).
 */
import { x25519 } from '@noble/curves/ed25519.js';
import type { Block } from '../block';
import { toHex } from '../bytes';
import { ChainState } from '../chain';
import { Finality, majority } from '../finality';
import { type ChainParams, TEST_PARAMS } from '../params';
import { encodePayload } from '../payloads';
import { Prng } from '../prng';
import { publicKeyOf } from '../signature';
import { signTx } from '../sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from '../template';
import { type Tx, TxKind, txId } from '../tx';
import { ValidatorPolicy } from '../validator';

/** Blocks at a fixed, trivial difficulty: the simulator is about agreement, not hashing. */
export const SIM_PARAMS: ChainParams = Object.freeze({
  ...TEST_PARAMS,
  id: 'medchain-sim',
  retargetInterval: 1_000_000,
  expectedIntervals: 999_999,
  powLimit: (1n << 255n) - 1n,
  genesisBits: 0x207fffff,
  maxOrphans: 64,
});

const T0 = 1_767_225_600;

export interface SimOptions {
  readonly nodes: number;
  readonly validators: number;
  /** Steps with faults (delays, drops, duplicates, partitions, crashes, skew). */
  readonly faultSteps?: number;
  /** Steps after the heal, for liveness. */
  readonly healSteps?: number;
  readonly quorum?: (validators: number) => number;
}

export interface SimReport {
  readonly seed: string;
  readonly violations: string[];
  readonly livenessFailure: string | null;
  /** Step at which every node held the same final block containing every transaction, after the heal. */
  readonly finalStep: number | null;
  readonly trace: string[];
}

type Msg =
  | { readonly type: 'block'; readonly block: Block }
  | { readonly type: 'tx'; readonly tx: Tx }
  | { readonly type: 'get'; readonly hash: string }
  | { readonly type: 'tip'; readonly hash: string };

interface Envelope {
  readonly at: number;
  readonly seq: number;
  readonly from: number;
  readonly to: number;
  readonly msg: Msg;
}

interface SimNode {
  readonly id: number;
  chain: ChainState;
  finality: Finality;
  readonly minerKey: Uint8Array;
  up: boolean;
  skew: number;
  lastFinal: { key: string; height: number };
}

/** Runs one seed. */
export function simulate(seed: string, options: SimOptions): SimReport {
  const prng = new Prng(`sim/${seed}`);
  const faultSteps = options.faultSteps ?? 120;
  const healSteps = options.healSteps ?? 200;
  const quorum = options.quorum ?? majority;
  const trace: string[] = [];
  const violations: string[] = [];
  const log = (step: number, text: string) => {
    if (trace.length < 2000) trace.push(`${step}: ${text}`);
  };

  const keys = Array.from({ length: options.nodes }, () => {
    const secret = prng.bytes(32);
    return { secret, pub: publicKeyOf(secret) };
  });
  const founding = keys.slice(0, options.validators).map((k, i) =>
    signTx({ kind: TxKind.FoundNetwork, nonce: i + 1, time: T0, payload: encodePayload({ kind: TxKind.FoundNetwork, networkName: 'sim', hospitalName: `H${i}`, dataKey: x25519.getPublicKey(prng.bytes(32)) }) }, k.secret, k.pub),
  );
  const genesis = mineBlock(genesisTemplate(SIM_PARAMS, founding, T0, keys[0]!.pub));
  const fresh = (): ChainState => new ChainState(SIM_PARAMS, genesis, T0);
  // Validators' memory of what they approved survives restarts (it is persisted).
  const policies = new Map<number, ValidatorPolicy>();
  const nodes: SimNode[] = keys.map((k, id) => {
    const chain = fresh();
    const finality = new Finality(chain, quorum);
    chain.approvalWeight = (key) => finality.approvalsOf(key);
    if (id < options.validators) policies.set(id, new ValidatorPolicy(chain, finality, k));
    return {
      id,
      chain,
      finality,
      minerKey: k.pub,
      up: true,
      skew: 0,
      lastFinal: { key: chain.genesis.key, height: 0 },
    };
  });

  let queue: Envelope[] = [];
  let seq = 0;
  let partition: number[] | null = null; // group of each node, or null
  let faults = true;
  const send = (step: number, from: number, to: number, msg: Msg) => {
    if (from === to) return;
    if (faults && partition && partition[from] !== partition[to]) return;
    if (faults && prng.next() < 0.05) return;
    const copies = faults && prng.next() < 0.05 ? 2 : 1;
    for (let c = 0; c < copies; c++) queue.push({ at: step + prng.int(1, faults ? 4 : 2), seq: seq++, from, to, msg });
  };
  const broadcast = (step: number, from: number, msg: Msg) => {
    for (const n of nodes) send(step, from, n.id, msg);
  };

  const submitted: string[] = [];
  const clock = (n: SimNode, step: number) => T0 + step + n.skew;

  const afterAccept = (step: number, n: SimNode, accepted: readonly import('../chain').BlockNode[]) => {
    for (const b of accepted) {
      n.finality.fromBlock(b);
      n.finality.blockArrived(b);
      broadcast(step, n.id, { type: 'block', block: b.block });
    }
    const policy = policies.get(n.id);
    const approval = policy?.onTip(clock(n, step));
    if (approval) {
      n.chain.addPendingTx(approval, clock(n, step));
      n.finality.add(approval);
      broadcast(step, n.id, { type: 'tx', tx: approval });
      log(step, `node ${n.id} approves ${n.chain.tip.key.slice(0, 8)}@${n.chain.tip.height}`);
    }
  };

  const deliver = (step: number, e: Envelope) => {
    const n = nodes[e.to]!;
    if (!n.up) return;
    const now = clock(n, step);
    const m = e.msg;
    if (m.type === 'block') {
      const r = n.chain.addBlock(m.block, now);
      if (r.status === 'orphan') send(step, n.id, e.from, { type: 'get', hash: toHex(m.block.header.prevHash) });
      if (r.status === 'accepted') afterAccept(step, n, [r.node, ...r.adopted]);
    } else if (m.type === 'tx') {
      const r = n.chain.addPendingTx(m.tx, now);
      if (r.status === 'added') {
        if (m.tx.kind === TxKind.Approval && n.finality.add(m.tx).status === 'counted') {
          // Approval weights changed: fork choice may move, and the validator may approve the new tip.
          const re = n.chain.reconsider();
          if (re) afterAccept(step, n, []);
        }
        broadcast(step, n.id, m);
      }
    } else if (m.type === 'get') {
      const b = n.chain.get(m.hash);
      if (b) send(step, n.id, e.from, { type: 'block', block: b.block });
    } else if (!n.chain.get(m.hash)) send(step, n.id, e.from, { type: 'get', hash: m.hash });
  };

  const checkSafety = (step: number) => {
    for (const n of nodes) {
      const f = n.chain.finalized;
      if (n.chain.ancestor(f, n.lastFinal.height)?.key !== n.lastFinal.key)
        violations.push(`step ${step}: node ${n.id}'s final block reverted from ${n.lastFinal.key.slice(0, 8)}@${n.lastFinal.height}`);
      n.lastFinal = { key: f.key, height: f.height };
    }
    for (let i = 0; i < nodes.length; i++)
      for (let j = i + 1; j < nodes.length; j++) {
        const [lo, hi] = nodes[i]!.lastFinal.height <= nodes[j]!.lastFinal.height ? [nodes[i]!, nodes[j]!] : [nodes[j]!, nodes[i]!];
        const at = hi.chain.ancestor(hi.chain.finalized, lo.lastFinal.height);
        if (at?.key !== lo.lastFinal.key)
          violations.push(`step ${step}: nodes ${lo.id} and ${hi.id} hold conflicting final blocks at height ${lo.lastFinal.height}`);
      }
  };

  const total = faultSteps + healSteps;
  let finalStep: number | null = null;
  for (let step = 1; step <= total && violations.length === 0; step++) {
    if (step === faultSteps + 1) {
      faults = false;
      partition = null;
      for (const n of nodes) {
        n.skew = 0;
        if (!n.up) restart(n, step);
      }
      log(step, 'heal');
    }
    if (faults) {
      if (prng.next() < 0.03) {
        partition = partition ? null : nodes.map(() => prng.int(0, 1));
        log(step, partition ? `partition ${partition.join('')}` : 'partition healed');
      }
      if (prng.next() < 0.02) {
        const n = prng.pick(nodes);
        if (n.up) {
          n.up = false;
          log(step, `node ${n.id} crashes`);
        } else restart(n, step);
      }
      if (prng.next() < 0.02) prng.pick(nodes).skew = prng.int(-30, 30);
    }
    // A patient registers through a random node now and then.
    if (step <= faultSteps && prng.next() < 0.15) {
      const secret = prng.bytes(32);
      const tx = signTx({ kind: TxKind.RegisterPatient, nonce: step, time: T0 + step - 40, payload: encodePayload({ kind: TxKind.RegisterPatient, boxKey: x25519.getPublicKey(prng.bytes(32)) }) }, secret);
      const n = prng.pick(nodes.filter((x) => x.up));
      if (n && n.chain.addPendingTx(tx, clock(n, step)).status === 'added') {
        submitted.push(toHex(txId(tx)));
        broadcast(step, n.id, { type: 'tx', tx });
      }
    }
    // Someone with pending transactions mines.
    const miners = nodes.filter((n) => n.up && n.chain.pending.size > 0);
    if (miners.length > 0 && prng.next() < 0.4) {
      const n = prng.pick(miners);
      const now = clock(n, step);
      const txs = n.chain.selectForBlock(now);
      if (txs.length > 0) {
        const block = mineBlock(blockTemplate(n.chain, n.chain.tip, txs, now, n.minerKey));
        const r = n.chain.addBlock(block, now);
        if (r.status === 'accepted') {
          log(step, `node ${n.id} mines ${r.node.key.slice(0, 8)}@${r.node.height} (${txs.length} txs)`);
          afterAccept(step, n, [r.node]);
        }
      }
    }
    if (step % 5 === 0) for (const n of nodes) if (n.up) broadcast(step, n.id, { type: 'tip', hash: n.chain.tip.key });
    const due = queue.filter((e) => e.at <= step);
    queue = queue.filter((e) => e.at > step);
    // Seeded reordering of what arrives in one step.
    for (let i = due.length - 1; i > 0; i--) {
      const j = prng.int(0, i);
      [due[i], due[j]] = [due[j]!, due[i]!];
    }
    for (const e of due) deliver(step, e);
    checkSafety(step);
    if (step > faultSteps && finalStep === null && converged()) finalStep = step;
  }

  function restart(n: SimNode, step: number) {
    // Blocks and the final mark are persisted; the pending pool, orphans and gossip state are lost.
    const old = n.chain;
    const chain = fresh();
    for (const b of old.activeBlocks(1)) chain.addBlock(b.block, clock(n, step));
    const finality = new Finality(chain, quorum);
    chain.approvalWeight = (key) => finality.approvalsOf(key);
    for (const b of chain.activeBlocks(1)) finality.fromBlock(b);
    if (chain.get(old.finalized.key) && chain.finalized.key !== old.finalized.key && chain.ancestor(chain.get(old.finalized.key)!, chain.finalized.height) === chain.finalized)
      chain.markFinal(old.finalized.key);
    n.chain = chain;
    n.finality = finality;
    const policy = policies.get(n.id);
    if (policy) policies.set(n.id, policy.rebind(chain, finality));
    n.up = true;
    log(step, `node ${n.id} restarts at ${chain.tip.key.slice(0, 8)}@${chain.height}`);
  }

  function converged(): boolean {
    const f = nodes[0]!.chain.finalized.key;
    if (!nodes.every((n) => n.chain.finalized.key === f)) return false;
    const c = nodes[0]!.chain;
    return submitted.every((k) => {
      const h = c.txHeight(k);
      return h !== undefined && h <= c.finalized.height;
    });
  }

  const livenessFailure =
    violations.length === 0 && finalStep === null
      ? `not converged ${healSteps} steps after the heal: final heights ${nodes.map((n) => n.chain.finalized.height).join(',')}, tips ${nodes.map((n) => n.chain.height).join(',')}`
      : null;
  return { seed, violations, livenessFailure, finalStep: finalStep === null ? null : finalStep - faultSteps, trace };
}
