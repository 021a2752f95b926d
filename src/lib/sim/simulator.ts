/**
 * The deterministic network simulator (issue 4; issue 14: the shipped node
 * under test). Every node is the real node composition — chain, agreement,
 * mesh, persister, pending pool ({@link FullNode}) — over the in-memory
 * store and transport, on virtual time ({@link VirtualTime}); the seeded
 * network ({@link SeededLinks}) decides each frame's delay, channels that
 * fail, partitions, crashes (a node's timers and channels stop dead; it
 * restarts from what its store holds), clock skews and Byzantine peers, all
 * from one generator, in the manner of yjs' TestConnector. The same seed
 * replays the same run; a failure prints its seed and a trace.
 *
 * After every step (one virtual second) it checks safety over the honest
 * nodes: no two hold conflicting final blocks, and no final block ever
 * reverts, across restarts too. After the heal (with enough honest
 * validators up for a quorum) it checks liveness: every submitted
 * transaction final, every honest node up on the same final block.
 */
import { MemoryMiner } from '../adapters/miner/memory';
import { MemoryHub, MemoryTransport } from '../adapters/net/memory-transport';
import { MemoryChainStore, MemoryStoreData } from '../adapters/store/memory';
import { plainSealer } from '../adapters/store/sealer';
import { blockHash } from '../core/block';
import { toHex } from '../core/bytes';
import { majority } from '../core/finality';
import { type ChainParams, TEST_PARAMS } from '../core/params';
import { QuorumRule, encodePayload } from '../core/payloads';
import { Prng } from '../core/prng';
import { quorumFunction } from '../core/quorum-rule';
import { type SignatureVerifier, nobleVerifier, publicKeyOf } from '../core/signature';
import { signTx } from '../core/sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from '../core/template';
import { GENESIS_SIGNING_NETWORK, TxKind, txId } from '../core/tx';
import type { RoundTiming } from '../core/validator';
import { FullNode } from '../node/node';
import { BEHAVIOURS, type Behaviour, type ByzantinePeer, byzantineStep } from './byzantine';
import { SeededLinks } from './seeded-links';
import { type Scope, VirtualTime } from './virtual-time';

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

/** Round timing in seconds: frames take 0.1 to 3 s while faults are on, 0.05 to 1 s after the heal. */
export const SIM_TIMING: RoundTiming = Object.freeze({ prevote: 6, round: 10, growth: 2 });

const T0 = 1_767_225_600;
const STEP_MS = 1000;

export interface SimOptions {
  readonly nodes: number;
  readonly validators: number;
  /** Byzantine validators (the last ones), each with a behaviour chosen by the seed unless `behaviour` fixes it. */
  readonly byzantine?: number;
  readonly behaviour?: Behaviour;
  /** Steps (virtual seconds) with faults: delays, failing channels, partitions, crashes, skew. */
  readonly faultSteps?: number;
  /** Steps after the heal, for liveness. */
  readonly healSteps?: number;
  /** The quorum; the genesis records majority or two thirds, and any other function is counted in their place (broken-rule tests). */
  readonly quorum?: (validators: number) => number;
}

export interface SimReport {
  readonly seed: string;
  readonly violations: string[];
  readonly livenessFailure: string | null;
  /** Steps after the heal until every honest node up held the same final block containing every transaction. */
  readonly finalStep: number | null;
  /** Equivocations detected by honest nodes (each becomes at most one Evidence transaction per validator and height). */
  readonly evidence: number;
  /** Evidence transactions recorded on the chain of the first honest node. */
  readonly evidenceOnChain: number;
  readonly trace: string[];
}

interface SimPeer {
  readonly index: number;
  /** Its validator key (validators only), or its patient-facing identity for members. */
  readonly key: { readonly secret: Uint8Array; readonly pub: Uint8Array };
  readonly behaviour: Behaviour | null;
  readonly validator: boolean;
  /** What its store holds: it outlives a crash. */
  readonly data: MemoryStoreData;
  /** Randomness of this node (its node key), from the seed. */
  readonly prng: Prng;
  node: FullNode | null;
  timers: Scope | null;
  id: string;
  skew: number;
  lastFinal: { key: string; height: number };
  /** Equivocations its earlier lives detected. */
  evidenceBefore: number;
  readonly done: Set<string>;
  readonly siblings: ByzantinePeer['siblings'];
}

/** One noble verifier whose answers are remembered: each signature is checked once per run, not once per node. */
export function cachedVerifier(): SignatureVerifier {
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

/** Lets every promise settle: one turn of Node's event loop (the in-memory store and transport use promises only). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs one seed. */
export async function simulate(seed: string, options: SimOptions): Promise<SimReport> {
  const prng = new Prng(`sim/${seed}`);
  const faultSteps = options.faultSteps ?? 120;
  const healSteps = options.healSteps ?? 200;
  const quorum = options.quorum ?? majority;
  const byzantine = options.byzantine ?? 0;
  const trace: string[] = [];
  const violations: string[] = [];
  let step = 0;
  const log = (text: string) => {
    if (trace.length < 4000) trace.push(`${step}: ${text}`);
  };
  const verifier = cachedVerifier();
  const time = new VirtualTime(T0 * 1000, settle);

  const keys = Array.from({ length: options.nodes }, () => {
    const secret = prng.bytes(32);
    return { secret, pub: publicKeyOf(secret) };
  });
  // The genesis records the quorum; a function that is neither rule is counted in its place (the broken-rule tests).
  const rule = quorum === majority ? QuorumRule.Majority : QuorumRule.TwoThirds;
  const recorded = quorumFunction(rule);
  const override = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].some((n) => quorum(n) !== recorded(n)) ? quorum : undefined;
  const founding = keys.slice(0, options.validators).map((k, i) =>
    signTx(
      GENESIS_SIGNING_NETWORK,
      {
        kind: TxKind.FoundNetwork,
        nonce: i + 1,
        time: T0,
        payload: encodePayload({ kind: TxKind.FoundNetwork, networkName: 'sim', hospitalName: `H${i}`, dataKey: prng.bytes(32), quorum: rule }),
      },
      k.secret,
      k.pub,
    ),
  );
  const genesis = mineBlock(genesisTemplate(SIM_PARAMS, founding, T0, keys[0]!.pub));
  const network = blockHash(genesis);

  const peers: SimPeer[] = keys.map((key, index) => {
    const validator = index < options.validators;
    const isByz = validator && index >= options.validators - byzantine;
    const behaviour = isByz ? (options.behaviour ?? prng.pick(BEHAVIOURS)) : null;
    if (isByz) log(`node ${index} is Byzantine: ${behaviour}`);
    return {
      index,
      key,
      behaviour,
      validator,
      data: new MemoryStoreData(),
      prng: new Prng(`sim/${seed}/node/${index}`),
      node: null,
      timers: null,
      id: '',
      skew: 0,
      lastFinal: { key: '', height: 0 },
      evidenceBefore: 0,
      done: new Set(),
      siblings: new Map(),
    };
  });
  const byId = new Map<string, SimPeer>();
  const links = new SeededLinks(prng, time, time.scope(), (id) => byId.get(id)?.index ?? -1);
  const hubTimers = time.scope();
  const hub = new MemoryHub({
    now: () => time.now(),
    schedule: (fn) => void hubTimers.setTimeout(fn, 0),
    setTimeout: (fn, ms) => hubTimers.setTimeout(fn, ms),
    reconnectMs: 2000,
    carry: (from, to, deliver) => links.carry(from, to, deliver),
    allows: (a, b) => links.allows(a, b),
  });
  links.hub = hub;

  const start = async (p: SimPeer): Promise<void> => {
    const timers = time.scope();
    const store = new MemoryChainStore(p.data);
    p.timers = timers;
    p.node = await FullNode.start({
      store,
      sealer: plainSealer(store),
      transport: (k) => {
        p.id = toHex(k.pub);
        byId.set(p.id, p);
        if (p.behaviour === 'withhold') links.silenced.add(p.id);
        return new MemoryTransport(hub, p.id);
      },
      miner: new MemoryMiner({ schedule: (fn) => void timers.setTimeout(fn, 0), now: () => time.now() }),
      params: SIM_PARAMS,
      genesis,
      now: () => time.now() + p.skew * 1000,
      randomBytes: (n) => p.prng.bytes(n),
      verifier,
      // Byzantine validators run as members: what they sign is their own doing (byzantine.ts).
      validatorKey: p.validator && p.behaviour === null ? p.key : null,
      timing: SIM_TIMING,
      mine: false,
      timers,
      quorumOverride: override,
      stepMs: STEP_MS,
      resendMs: 5 * STEP_MS,
    });
  };

  /** A crash: its timers and channels stop dead, mid-flight; only what its store holds survives. */
  const crash = (p: SimPeer) => {
    if (!p.node) return;
    p.evidenceBefore += p.node.agreement.evidenceSeen;
    p.timers!.cancelAll();
    p.node.transport.stop();
    p.node = null;
    log(`node ${p.index} crashes`);
  };
  const restart = async (p: SimPeer) => {
    await start(p);
    const c = p.node!.chain;
    log(`node ${p.index} restarts at ${c.tip.key.slice(0, 8)}@${c.height}, final ${c.finalized.height}`);
  };

  for (const p of peers) await start(p);
  const honest = peers.filter((p) => p.behaviour === null);
  for (const p of honest) p.lastFinal = { key: p.node!.chain.genesis.key, height: 0 };
  /** Transactions submitted, with the node they were written on. */
  const submitted: { key: string; origin: SimPeer }[] = [];
  const seconds = (p: SimPeer) => Math.floor((time.now() + p.skew * 1000) / 1000);
  const live = () => honest.filter((p) => p.node !== null);

  const checkSafety = () => {
    for (const p of live()) {
      const c = p.node!.chain;
      if (c.ancestor(c.finalized, p.lastFinal.height)?.key !== p.lastFinal.key)
        violations.push(`step ${step}: node ${p.index}'s final block reverted from ${p.lastFinal.key.slice(0, 8)}@${p.lastFinal.height}`);
      if (c.finalized.key !== p.lastFinal.key) log(`node ${p.index} final ${c.finalized.key.slice(0, 8)}@${c.finalized.height}`);
      p.lastFinal = { key: c.finalized.key, height: c.finalized.height };
    }
    const up = live();
    for (let i = 0; i < up.length; i++)
      for (let j = i + 1; j < up.length; j++) {
        const [lo, hi] = up[i]!.lastFinal.height <= up[j]!.lastFinal.height ? [up[i]!, up[j]!] : [up[j]!, up[i]!];
        const c = hi.node!.chain;
        if (c.ancestor(c.finalized, lo.lastFinal.height)?.key !== lo.lastFinal.key)
          violations.push(`step ${step}: nodes ${lo.index} and ${hi.index} hold conflicting final blocks at height ${lo.lastFinal.height}`);
      }
  };

  // After the heal, honest validators may stay offline as long as a quorum of honest ones is up.
  const honestValidators = honest.filter((p) => p.validator);
  const spare = Math.max(0, honestValidators.length - quorum(options.validators));
  const stayDown = new Set<number>();
  for (let k = prng.int(0, spare); k > 0; k--) stayDown.add(prng.pick(honestValidators.filter((p) => !stayDown.has(p.index))).index);

  const converged = (): boolean => {
    const up = live();
    const c = up[0]!.node!.chain;
    if (!up.every((p) => p.node!.chain.finalized.key === c.finalized.key)) return false;
    // Every transaction some node that is up holds (written there, or heard of) must be final.
    // One written on a node that stays offline and never reached another cannot be, by any protocol.
    return submitted.every(({ key, origin }) => {
      const h = c.txHeight(key);
      if (h !== undefined && h <= c.finalized.height) return true;
      return !origin.node && !up.some((p) => p.node!.chain.pending.has(key) || p.node!.chain.txHeight(key) !== undefined);
    });
  };

  const total = faultSteps + healSteps;
  let finalStep: number | null = null;
  for (step = 1; step <= total && violations.length === 0; step++) {
    if (step === faultSteps + 1) {
      links.faults = false;
      links.partition(null);
      for (const p of peers) {
        p.skew = 0;
        if (stayDown.has(p.index)) crash(p);
        else if (!p.node) await restart(p);
      }
      log(`heal${stayDown.size > 0 ? `; validators ${[...stayDown].join(',')} stay offline` : ''}`);
    }
    if (links.faults) {
      if (prng.next() < 0.03) {
        const sides = links.partitioned ? null : peers.map(() => prng.int(0, 1));
        links.partition(sides);
        log(sides ? `partition ${sides.join('')}` : 'partition healed');
      }
      if (prng.next() < 0.02) {
        const p = prng.pick(peers);
        if (p.node) crash(p);
        else await restart(p);
      }
      if (prng.next() < 0.02) prng.pick(peers).skew = prng.int(-30, 30);
    }
    // A patient registers through a random honest node now and then.
    if (step <= faultSteps && prng.next() < 0.15) {
      const secret = prng.bytes(32);
      const tx = signTx(
        network,
        { kind: TxKind.RegisterPatient, nonce: step, time: T0 + step - 40, payload: encodePayload({ kind: TxKind.RegisterPatient, boxKey: prng.bytes(32) }) },
        secret,
      );
      const up = live();
      const p = up.length > 0 ? prng.pick(up) : null;
      if (p && (await p.node!.submitTx(tx)).status === 'added') submitted.push({ key: toHex(txId(tx)), origin: p });
    }
    // An honest node with transactions to confirm (not just certificates) mines.
    if (prng.next() < 0.4) {
      const miners = live().filter((p) => p.node!.chain.selectForBlock(seconds(p)).some((t) => t.kind !== TxKind.Approval));
      const p = miners.length > 0 ? prng.pick(miners) : null;
      if (p) {
        const c = p.node!.chain;
        const now = seconds(p);
        const block = mineBlock(blockTemplate(c, c.tip, c.selectForBlock(now), now, p.key.pub));
        const r = p.node!.submitBlock(block);
        if (r.status === 'accepted') log(`node ${p.index} mines ${r.node.key.slice(0, 8)}@${r.node.height} (${block.txs.length} txs)`);
      }
    }
    // Byzantine validators act.
    for (const p of peers)
      if (p.behaviour && p.node)
        byzantineStep(p.behaviour, { index: p.index, node: p.node, key: p.key, done: p.done, siblings: p.siblings }, seconds(p), prng, log);
    await time.advanceTo((T0 + step) * 1000);
    checkSafety();
    if (step > faultSteps && finalStep === null && converged()) {
      finalStep = step;
      break;
    }
  }

  const up = live();
  const livenessFailure =
    violations.length === 0 && finalStep === null
      ? `not converged ${healSteps} steps after the heal: final heights ${up.map((p) => `${p.index}:${p.node!.chain.finalized.height}`).join(',')}, tips ${up.map((p) => p.node!.chain.height).join(',')}`
      : null;
  const evidence = peers.reduce((n, p) => n + (p.behaviour ? 0 : p.evidenceBefore + (p.node?.agreement.evidenceSeen ?? 0)), 0);
  const evidenceOnChain = (honest.find((p) => p.node) ?? honest[0]!).node?.chain.ledger?.evidence.size ?? 0;
  // The run is over: every node's timers stop (nothing is left scheduled).
  for (const p of peers) p.timers?.cancelAll();
  return { seed, violations, livenessFailure, finalStep: finalStep === null ? null : finalStep - faultSteps, evidence, evidenceOnChain, trace };
}
