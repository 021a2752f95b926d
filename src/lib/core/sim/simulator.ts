/**
 * A deterministic network simulator for the agreement layer (issue 4), in the
 * manner of yjs' TestConnector: every node is the pure core (ChainState with
 * the ledger, Finality, and for honest validators the ValidatorPolicy) over an
 * in-memory network ({@link SimNetwork}) whose delays, drops, duplicates,
 * reordering, partitions, crashes, clock skews and Byzantine validators all
 * come from one seeded generator. The same seed replays the same run; a
 * failure prints its seed and a trace.
 *
 * After every step it checks safety over the honest nodes: no two hold
 * conflicting final blocks, and no final block ever reverts. After the heal
 * (with enough honest validators up for a quorum) it checks liveness: every
 * submitted transaction final, every honest node up on the same final block.
 */
import type { BlockNode } from '../chain';
import { toHex } from '../bytes';
import { ChainState } from '../chain';
import { type Evidence, Finality, type VoteResult, majority } from '../finality';
import { evidenceSlot } from '../ledger-rules';
import { type ChainParams, TEST_PARAMS } from '../params';
import { QuorumRule, decodePayload, encodePayload } from '../payloads';
import { Prng } from '../prng';
import { type SignatureVerifier, nobleVerifier, publicKeyOf } from '../signature';
import { signTx } from '../sign-tx';
import { blockHash } from '../block';
import { blockTemplate, genesisTemplate, mineBlock } from '../template';
import { GENESIS_SIGNING_NETWORK, type Tx, TxKind, txId } from '../tx';
import { checkTxSignature } from '../validate';
import { type RoundTiming, ValidatorPolicy } from '../validator';
import { evidencePayload, readEvidence } from '../vote';
import { BEHAVIOURS, type Behaviour, byzantineStep } from './byzantine';
import { type Envelope, type Msg, SimNetwork } from './network';

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

/** Round timing in steps: messages take 1 to 4 steps while faults are on, 1 to 2 after the heal. */
export const SIM_TIMING: RoundTiming = Object.freeze({ prevote: 6, round: 10, growth: 2 });

const T0 = 1_767_225_600;

export interface SimOptions {
  readonly nodes: number;
  readonly validators: number;
  /** Byzantine validators (the last ones), each with a behaviour chosen by the seed unless `behaviour` fixes it. */
  readonly byzantine?: number;
  readonly behaviour?: Behaviour;
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
  /** Steps after the heal until every honest node up held the same final block containing every transaction. */
  readonly finalStep: number | null;
  /** Equivocations detected (and turned into Evidence transactions) by honest nodes. */
  readonly evidence: number;
  /** Evidence transactions recorded on the chain of node 0 (or the first honest node). */
  readonly evidenceOnChain: number;
  readonly trace: string[];
}

interface SimNode {
  readonly id: number;
  readonly key: { readonly secret: Uint8Array; readonly pub: Uint8Array };
  readonly behaviour: Behaviour | null;
  chain: ChainState;
  finality: Finality;
  policy: ValidatorPolicy | null;
  up: boolean;
  skew: number;
  lastFinal: { key: string; height: number };
  seen: BlockNode[];
  readonly done: Set<string>;
}

/** One noble verifier whose answers are remembered: each signature is checked once per run, not once per node. */
function cachedVerifier(): SignatureVerifier {
  const memo = new Map<string, boolean>();
  return {
    verify(signature, message, publicKey) {
      const k = toHex(signature) + toHex(message) + toHex(publicKey);
      let ok = memo.get(k);
      if (ok === undefined) memo.set(k, (ok = nobleVerifier.verify(signature, message, publicKey)));
      return ok;
    },
  };
}

/** Runs one seed. */
export function simulate(seed: string, options: SimOptions): SimReport {
  const prng = new Prng(`sim/${seed}`);
  const faultSteps = options.faultSteps ?? 120;
  const healSteps = options.healSteps ?? 200;
  const quorum = options.quorum ?? majority;
  const byzantine = options.byzantine ?? 0;
  const trace: string[] = [];
  const violations: string[] = [];
  let detected = 0;
  const log = (step: number, text: string) => {
    if (trace.length < 4000) trace.push(`${step}: ${text}`);
  };
  const verifier = cachedVerifier();

  const keys = Array.from({ length: options.nodes }, () => {
    const secret = prng.bytes(32);
    return { secret, pub: publicKeyOf(secret) };
  });
  // The genesis records the quorum counted here (the simulator takes the function itself, for the CLI's --quorum).
  const rule = quorum === majority ? QuorumRule.Majority : QuorumRule.TwoThirds;
  const founding = keys.slice(0, options.validators).map((k, i) =>
    signTx(GENESIS_SIGNING_NETWORK, { kind: TxKind.FoundNetwork, nonce: i + 1, time: T0, payload: encodePayload({ kind: TxKind.FoundNetwork, networkName: 'sim', hospitalName: `H${i}`, dataKey: prng.bytes(32), quorum: rule }) }, k.secret, k.pub),
  );
  const genesis = mineBlock(genesisTemplate(SIM_PARAMS, founding, T0, keys[0]!.pub));
  const network = blockHash(genesis);
  const attach = (n: { chain: ChainState; finality: Finality }) => {
    n.chain = new ChainState(SIM_PARAMS, genesis, T0, { verifier });
    n.finality = new Finality(n.chain, quorum);
    n.chain.approvalWeight = (key) => n.finality.weight(key);
  };
  const nodes: SimNode[] = keys.map((key, id) => {
    const isByz = id < options.validators && id >= options.validators - byzantine;
    const n = {
      id,
      key,
      behaviour: isByz ? (options.behaviour ?? prng.pick(BEHAVIOURS)) : null,
      up: true,
      skew: 0,
      lastFinal: { key: '', height: 0 },
      seen: [],
      done: new Set<string>(),
    } as unknown as SimNode;
    attach(n);
    n.lastFinal = { key: n.chain.genesis.key, height: 0 };
    n.policy = id < options.validators && !isByz ? new ValidatorPolicy(n.chain, n.finality, key, SIM_TIMING) : null;
    if (isByz) log(0, `node ${id} is Byzantine: ${n.behaviour}`);
    return n;
  });
  const honest = nodes.filter((n) => n.behaviour === null);
  const net = new SimNetwork(prng, nodes.length);
  const clock = (n: SimNode, step: number) => T0 + step + n.skew;
  /** Transactions submitted, with the node they were written on. */
  const submitted: { key: string; origin: number }[] = [];

  /** Finality results: evidence becomes a transaction; a decided block's certificate goes to be recorded. */
  const handle = (step: number, n: SimNode, results: readonly VoteResult[]) => {
    for (const r of results) {
      if (r.status !== 'counted') continue;
      if (r.evidence) report(step, n, r.evidence);
      if (r.finalized) {
        log(step, `node ${n.id} final ${r.finalized.key.slice(0, 8)}@${r.finalized.height}`);
        for (const tx of n.finality.certificate(r.finalized.height) ?? []) n.chain.addPendingTx(tx, clock(n, step));
      }
    }
  };

  /** An equivocation becomes an Evidence transaction, once per validator and height (what the ledger records). */
  const report = (step: number, n: SimNode, e: Evidence) => {
    detected++;
    const slot = evidenceSlot(e.validator, e.first.height);
    if (n.behaviour || n.done.has(slot) || n.chain.ledger?.evidence.has(slot)) return;
    n.done.add(slot);
    const tx = signTx(network, { kind: TxKind.Evidence, nonce: detected, time: clock(n, step), payload: evidencePayload(e.first, e.second) }, n.key.secret, n.key.pub);
    if (n.chain.addPendingTx(tx, clock(n, step)).status === 'added') net.broadcast(step, n.id, { type: 'tx', tx });
    log(step, `node ${n.id} reports equivocation by ${e.validator.slice(0, 8)} at height ${e.first.height}`);
  };

  const acceptVote = (step: number, n: SimNode, tx: Tx) => {
    if (!checkTxSignature(tx, verifier, network)) return;
    const r = n.finality.add(tx);
    if (r.status === 'counted' || r.status === 'future') net.broadcast(step, n.id, { type: 'tx', tx });
    handle(step, n, [r]);
  };

  /** The honest validator signs what the rules say now; its own votes count at once. */
  const react = (step: number, n: SimNode) => {
    if (!n.policy || !n.up) return;
    for (let i = 0; i < 8; i++) {
      const votes = n.policy.step(clock(n, step));
      if (votes.length === 0) return;
      for (const v of votes) acceptVote(step, n, v);
    }
  };

  const afterAccept = (step: number, n: SimNode, accepted: readonly BlockNode[]) => {
    for (const b of accepted) {
      n.seen.push(b);
      handle(step, n, [...n.finality.fromBlock(b), ...n.finality.blockArrived(b)]);
      if (n.behaviour === null) net.broadcast(step, n.id, { type: 'block', block: b.block });
    }
    // Evidence someone else recorded first is dropped from the pool: the ledger takes one per validator and height.
    for (const e of n.chain.pending.list()) {
      if (e.tx.kind !== TxKind.Evidence) continue;
      const p = decodePayload(TxKind.Evidence, e.tx.payload);
      const votes = p.kind === TxKind.Evidence ? readEvidence(p.first, p.second) : null;
      if (votes && n.chain.ledger?.evidence.has(evidenceSlot(votes[0].validator, votes[0].height))) n.chain.pending.remove(e.key);
    }
    react(step, n);
  };

  const deliver = (step: number, e: Envelope) => {
    const n = nodes[e.to]!;
    if (!n.up || n.behaviour === 'withhold') return;
    const now = clock(n, step);
    const m: Msg = e.msg;
    if (m.type === 'block') {
      const r = n.chain.addBlock(m.block, now);
      // Ask for what is missing below an orphan (also when it is already kept: the first request may have been lost).
      if (r.status === 'orphan' || (r.status === 'duplicate' && n.chain.orphans.has(r.key)))
        net.send(step, n.id, e.from, { type: 'get', hash: n.chain.orphans.missingBelow(r.key) });
      if (r.status === 'accepted') afterAccept(step, n, [r.node, ...r.adopted]);
    } else if (m.type === 'tx') {
      if (m.tx.kind === TxKind.Approval) {
        acceptVote(step, n, m.tx);
        react(step, n);
      } else if (n.chain.addPendingTx(m.tx, now).status === 'added') net.broadcast(step, n.id, m);
    } else if (m.type === 'get') {
      const b = n.chain.get(m.hash);
      if (b) net.send(step, n.id, e.from, { type: 'block', block: b.block });
    } else if (m.type === 'get-cert') {
      for (const tx of n.finality.certificate(m.height) ?? []) net.send(step, n.id, e.from, { type: 'tx', tx });
    } else {
      if (!n.chain.get(m.tip)) net.send(step, n.id, e.from, { type: 'get', hash: n.chain.orphans.missingBelow(m.tip) });
      if (m.finalHeight > n.chain.finalized.height) net.send(step, n.id, e.from, { type: 'get-cert', height: n.chain.finalized.height + 1 });
    }
  };

  const checkSafety = (step: number) => {
    for (const n of honest) {
      const f = n.chain.finalized;
      if (n.chain.ancestor(f, n.lastFinal.height)?.key !== n.lastFinal.key)
        violations.push(`step ${step}: node ${n.id}'s final block reverted from ${n.lastFinal.key.slice(0, 8)}@${n.lastFinal.height}`);
      n.lastFinal = { key: f.key, height: f.height };
    }
    for (let i = 0; i < honest.length; i++)
      for (let j = i + 1; j < honest.length; j++) {
        const [lo, hi] = honest[i]!.lastFinal.height <= honest[j]!.lastFinal.height ? [honest[i]!, honest[j]!] : [honest[j]!, honest[i]!];
        const at = hi.chain.ancestor(hi.chain.finalized, lo.lastFinal.height);
        if (at?.key !== lo.lastFinal.key)
          violations.push(`step ${step}: nodes ${lo.id} and ${hi.id} hold conflicting final blocks at height ${lo.lastFinal.height}`);
      }
  };

  const restart = (n: SimNode, step: number) => {
    // Blocks, the final mark, the pending pool (writes made here are never lost) and a validator's
    // memory are persisted; orphans and votes heard from others are lost.
    const old = n.chain;
    const oldFinality = n.finality;
    attach(n);
    for (const b of old.activeBlocks(1)) n.chain.addBlock(b.block, clock(n, step));
    for (const e of old.pending.list()) n.chain.addPendingTx(e.tx, clock(n, step));
    const final = n.chain.get(old.finalized.key);
    if (final && final !== n.chain.finalized && n.chain.descendsFromFinal(final)) n.chain.markFinal(final.key);
    // Commit certificates are kept with the final mark, so peers that are behind can still get them.
    for (let h = 1; h <= n.chain.finalized.height; h++) {
      const cert = oldFinality.certificate(h);
      if (cert) n.finality.restore(h, cert);
    }
    n.seen = n.chain.activeBlocks(1);
    for (const b of n.seen) handle(step, n, n.finality.fromBlock(b));
    n.policy = n.policy?.rebind(n.chain, n.finality) ?? null;
    n.up = true;
    // A validator's own votes and its lock's proof come back from its memory.
    for (const tx of n.policy?.votesCast() ?? []) acceptVote(step, n, tx);
    log(step, `node ${n.id} restarts at ${n.chain.tip.key.slice(0, 8)}@${n.chain.height}, final ${n.chain.finalized.height}`);
  };

  // After the heal, honest validators may stay offline as long as a quorum of honest ones is up.
  const honestValidators = honest.filter((n) => n.id < options.validators);
  const spare = Math.max(0, honestValidators.length - quorum(options.validators));
  const stayDown = new Set<number>();
  for (let k = prng.int(0, spare); k > 0; k--) stayDown.add(prng.pick(honestValidators.filter((n) => !stayDown.has(n.id))).id);
  const live = () => honest.filter((n) => n.up);

  const converged = (): boolean => {
    const up = live();
    const f = up[0]!.chain.finalized.key;
    if (!up.every((n) => n.chain.finalized.key === f)) return false;
    const c = up[0]!.chain;
    // Every transaction some node that is up holds (written there, or heard of) must be final.
    // One written on a node that stays offline and never reached another cannot be, by any protocol.
    return submitted.every(({ key, origin }) => {
      const h = c.txHeight(key);
      if (h !== undefined && h <= c.finalized.height) return true;
      return !nodes[origin]!.up && !up.some((n) => n.chain.pending.has(key) || n.chain.txHeight(key) !== undefined);
    });
  };

  const total = faultSteps + healSteps;
  let finalStep: number | null = null;
  for (let step = 1; step <= total && violations.length === 0; step++) {
    if (step === faultSteps + 1) {
      net.faults = false;
      net.partition = null;
      for (const n of nodes) {
        n.skew = 0;
        if (stayDown.has(n.id)) n.up = false;
        else if (!n.up) restart(n, step);
      }
      log(step, `heal${stayDown.size > 0 ? `; validators ${[...stayDown].join(',')} stay offline` : ''}`);
    }
    if (net.faults) {
      if (prng.next() < 0.03) {
        net.partition = net.partition ? null : nodes.map(() => prng.int(0, 1));
        log(step, net.partition ? `partition ${net.partition.join('')}` : 'partition healed');
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
    // A patient registers through a random honest node now and then.
    if (step <= faultSteps && prng.next() < 0.15) {
      const secret = prng.bytes(32);
      const tx = signTx(network, { kind: TxKind.RegisterPatient, nonce: step, time: T0 + step - 40, payload: encodePayload({ kind: TxKind.RegisterPatient, boxKey: prng.bytes(32) }) }, secret);
      const n = prng.pick(live());
      if (n && n.chain.addPendingTx(tx, clock(n, step)).status === 'added') {
        submitted.push({ key: toHex(txId(tx)), origin: n.id });
        net.broadcast(step, n.id, { type: 'tx', tx });
      }
    }
    // An honest node with transactions to confirm (not just certificates) mines.
    if (prng.next() < 0.4) {
      const miners = live().filter((n) => n.chain.selectForBlock(clock(n, step)).some((t) => t.kind !== TxKind.Approval));
      const n = miners.length > 0 ? prng.pick(miners) : null;
      if (n) {
        const now = clock(n, step);
        const block = mineBlock(blockTemplate(n.chain, n.chain.tip, n.chain.selectForBlock(now), now, n.key.pub));
        const r = n.chain.addBlock(block, now);
        if (r.status === 'accepted') {
          log(step, `node ${n.id} mines ${r.node.key.slice(0, 8)}@${r.node.height} (${block.txs.length} txs)`);
          afterAccept(step, n, [r.node]);
        }
      }
    }
    // Byzantine validators act.
    for (const n of nodes) {
      if (!n.behaviour || !n.up) continue;
      for (const { to, msg } of byzantineStep(n.behaviour, n, nodes.length, clock(n, step), prng, (t) => log(step, t))) net.send(step, n.id, to, msg);
    }
    // Timers, and now and then the status that lets peers catch up (tips, final height, re-sent votes).
    for (const n of live()) {
      react(step, n);
      if (step % 5 === n.id % 5) {
        net.broadcast(step, n.id, { type: 'status', tip: n.chain.tip.key, finalHeight: n.chain.finalized.height });
        for (const tx of n.policy?.votesCast() ?? []) net.broadcast(step, n.id, { type: 'tx', tx });
        // Pending transactions are announced again until they are in a block (the first send may have been lost).
        for (const e of n.chain.pending.list()) if (e.tx.kind !== TxKind.Approval) net.broadcast(step, n.id, { type: 'tx', tx: e.tx });
      }
    }
    for (const e of net.due(step)) deliver(step, e);
    checkSafety(step);
    if (step > faultSteps && finalStep === null && converged()) {
      finalStep = step;
      break;
    }
  }

  const up = live();
  const livenessFailure =
    violations.length === 0 && finalStep === null
      ? `not converged ${healSteps} steps after the heal: final heights ${up.map((n) => `${n.id}:${n.chain.finalized.height}`).join(',')}, tips ${up.map((n) => n.chain.height).join(',')}`
      : null;
  const evidenceOnChain = honest[0]!.chain.ledger?.evidence.size ?? 0;
  return { seed, violations, livenessFailure, finalStep: finalStep === null ? null : finalStep - faultSteps, evidence: detected, evidenceOnChain, trace };
}
