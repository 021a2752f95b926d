/**
 * Stage-3 rules as a strategy of the chain state: what a block's
 * transactions do to the state of its branch, with undo for reorganisations.
 * The network's rules are the ledger's ({@link ledgerRules}: identity and
 * consent, SPEC §2 to §4). {@link noStateRules} checks nothing beyond the
 * chain's own rules; it exists so the fork-choice machinery can be tested on
 * its own, and it is never what a node runs.
 */
import type { Block } from './block';
import { Ledger } from './ledger';
import { applyBlockTxs, applyTx } from './ledger-rules';
import type { Journal } from './journal';
import type { SignatureVerifier } from './signature';
import { type Tx, signingNetwork } from './tx';
import { RuleError } from './errors';

export interface BlockRules {
  /** Applies a block on top of the state; throws {@link RuleError} and changes nothing when it breaks a rule. */
  connect(block: Block, txKeys: readonly string[]): unknown;
  /** Reverts what {@link connect} returned, newest block first. */
  disconnect(undo: unknown): void;
  /** Whether a pending transaction would apply on top of the current state at `time`; the reason if not. */
  checkPending(tx: Tx, txKey: string, height: number, time: number): RuleError | null;
  /**
   * The candidates that apply one after another on top of the state, in the
   * given order, skipping those that break a rule (for a block template).
   * Leaves the state unchanged.
   */
  select(candidates: readonly { tx: Tx; key: string }[], height: number, time: number): Tx[];
  /**
   * The candidates (in mining order) that can no longer apply, each with the
   * rule it breaks: those that fail both after every other candidate that
   * can apply did (repeated until nothing more applies, so one waiting for
   * another candidate is never among them), and alone on the state as it is
   * (so one that only conflicts with another candidate, which no block has
   * confirmed yet, is not either). Leaves the state unchanged.
   */
  recheck(candidates: readonly { tx: Tx; key: string }[], height: number, time: number): { key: string; error: RuleError }[];
  /** The ledger, when these rules keep one. */
  readonly ledger: Ledger | null;
}

/**
 * The network's rules: the ledger of identities, records and consent.
 * `genesis` is the chain's genesis hash: the network that payload proofs and
 * evidence votes must be signed for (SPEC §5).
 */
export function ledgerRules(verifier: SignatureVerifier, genesis: Uint8Array): BlockRules {
  const ledger = new Ledger();
  return {
    ledger,
    connect: (block, txKeys) =>
      applyBlockTxs(ledger, block.txs, txKeys, block.header.height, block.header.time, verifier, signingNetwork(genesis, block.header.height)),
    disconnect: (undo) => ledger.undo(undo as Journal),
    select(candidates, height, time) {
      const applied: Journal[] = [];
      const chosen: Tx[] = [];
      for (const { tx, key } of candidates) {
        try {
          applied.push(ledger.change(() => applyTx(ledger, tx, { height, time, txId: key, verifier, network: signingNetwork(genesis, height) })));
          chosen.push(tx);
        } catch (e) {
          if (!(e instanceof RuleError)) throw e;
        }
      }
      for (let i = applied.length - 1; i >= 0; i--) ledger.undo(applied[i]!);
      return chosen;
    },
    recheck(candidates, height, time) {
      const applied: Journal[] = [];
      let left = candidates.map((c) => ({ ...c, error: null as RuleError | null }));
      for (let progress = true; progress && left.length > 0;) {
        const failed: typeof left = [];
        for (const c of left) {
          try {
            applied.push(ledger.change(() => applyTx(ledger, c.tx, { height, time, txId: c.key, verifier, network: signingNetwork(genesis, height) })));
          } catch (e) {
            if (!(e instanceof RuleError)) throw e;
            failed.push({ ...c, error: e });
          }
        }
        progress = failed.length < left.length;
        left = failed;
      }
      for (let i = applied.length - 1; i >= 0; i--) ledger.undo(applied[i]!);
      return left.filter((c) => this.checkPending(c.tx, c.key, height, time) !== null).map((c) => ({ key: c.key, error: c.error! }));
    },
    checkPending(tx, txKey, height, time) {
      try {
        ledger.undo(ledger.change(() => applyTx(ledger, tx, { height, time, txId: txKey, verifier, network: signingNetwork(genesis, height) })));
        return null;
      } catch (e) {
        if (e instanceof RuleError) return e;
        throw e;
      }
    },
  };
}

/** No state beyond the chain's own rules: for testing fork choice in isolation only. */
export function noStateRules(): BlockRules {
  return { ledger: null, connect: () => null, disconnect: () => {}, checkPending: () => null, select: (c) => c.map((x) => x.tx), recheck: () => [] };
}
