/**
 * What an honest validator approves (docs/consensus.md, rule 4): only the
 * fully valid tip of its own chain, descending from the last final block; at
 * most one block per height; and only blocks that descend from every block it
 * approved before, so its approvals form one chain and it can never be caught
 * equivocating. (Rounds that let a validator move on from a split vote are
 * the next part of issue 4.)
 */
import type { BlockNode, ChainState } from './chain';
import type { Finality } from './finality';
import { encodePayload } from './payloads';
import { signTx } from './sign-tx';
import { type Tx, TxKind } from './tx';
import { toHex } from './bytes';

export class ValidatorPolicy {
  private last: BlockNode | null = null;
  private readonly id: string;

  constructor(
    private readonly chain: ChainState,
    private readonly finality: Finality,
    private readonly key: { readonly secret: Uint8Array; readonly pub: Uint8Array },
  ) {
    this.id = toHex(key.pub);
  }

  /**
   * The same validator (its memory of what it approved) on a restarted node's
   * chain state: what a validator approved must survive a crash, or it could
   * approve a conflicting block after restarting.
   */
  rebind(chain: ChainState, finality: Finality): ValidatorPolicy {
    const p = new ValidatorPolicy(chain, finality, this.key);
    p.last = this.last ? (chain.get(this.last.key) ?? this.last) : null;
    return p;
  }

  /** The approval to broadcast for the current tip, or null when the rules say wait. */
  onTip(now: number): Tx | null {
    const tip = this.chain.tip;
    const final = this.chain.finalized;
    if (!this.finality.validators().includes(this.id)) return null;
    if (tip === final || !this.chain.descendsFromFinal(tip)) return null;
    // A lock on a block that a final block has overtaken (or reached) is released:
    // nothing that does not descend from the final block can ever join the chain.
    if (this.last && !this.chain.descendsFromFinal(this.last)) this.last = null;
    const last = this.last;
    if (last && (tip.height <= last.height || this.chain.ancestor(tip, last.height)?.key !== last.key)) return null;
    this.last = tip;
    // One approval per height: the height is a unique nonce for this validator.
    return signTx(
      { kind: TxKind.Approval, nonce: tip.height, time: now, payload: encodePayload({ kind: TxKind.Approval, block: tip.hash, height: tip.height }) },
      this.key.secret,
      this.key.pub,
    );
  }
}
