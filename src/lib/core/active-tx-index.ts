/**
 * The active chain's transactions by patient and by kind (issue 14; SPEC §3,
 * §5: a patient's history is found without reading the whole chain). The
 * screens asked "every record of this patient", "every referral", "every
 * staff certification" by reading every block after every change; this
 * index answers them from lists kept up to date block by block.
 *
 * It follows a chain by block keys, not by the chain object: {@link sync}
 * finds where the chain it indexed and the chain now part (a block's key
 * commits to its parent, so the highest shared key is the fork point), takes
 * the blocks above the fork off the top of every list (they were appended
 * last) and appends the new ones. A reorganisation costs its own length; a
 * follower tab that re-reads the store into a new chain object costs
 * nothing when the tip is the same.
 *
 * Whose a transaction is comes from its kind (tx-subjects.ts), resolved
 * against the ledger as of the tip the block joins under: a record, grant or
 * patient key a transaction names was confirmed at or below it and is never
 * dropped while that block stays active, so a block indexed then resolves
 * as it would in a scan from the tip. Pure: no I/O.
 */
import type { Ledger } from './ledger';
import { type SubjectLookup, NO_LOOKUP, ledgerLookup, txPatients } from './tx-subjects';
import type { Tx, TxKind } from './tx';

/** One transaction of the active chain. */
export interface IndexedTx {
  readonly tx: Tx;
  /** Hex transaction id. */
  readonly id: string;
  readonly height: number;
  /** Hex hash of its block. */
  readonly block: string;
}

/** What the index reads of a chain: its active blocks by height and the ledger at its tip. */
export interface IndexableChain {
  readonly height: number;
  atHeight(height: number): { readonly key: string; readonly block: { readonly txs: readonly Tx[] }; readonly txKeys: readonly string[] } | undefined;
  readonly ledger: Ledger | null;
}

interface IndexedBlock {
  readonly key: string;
  /** Per transaction, the patients it was filed under. */
  readonly patients: readonly (readonly string[])[];
  readonly kinds: readonly TxKind[];
}

export class ActiveTxIndex {
  /** The blocks indexed, by height (genesis first). */
  private readonly blocks: IndexedBlock[] = [];
  private readonly patients = new Map<string, IndexedTx[]>();
  private readonly kinds = new Map<TxKind, IndexedTx[]>();

  /** Brings the index to `chain`'s active chain: off the blocks that left it, on the blocks that joined. */
  sync(chain: IndexableChain): void {
    let fork = Math.min(this.blocks.length - 1, chain.height);
    while (fork >= 0 && this.blocks[fork]!.key !== chain.atHeight(fork)?.key) fork--;
    while (this.blocks.length - 1 > fork) this.disconnect(this.blocks.pop()!);
    const lookup: SubjectLookup = chain.ledger ? ledgerLookup(chain.ledger) : NO_LOOKUP;
    for (let h = fork + 1; h <= chain.height; h++) this.connect(chain, h, lookup);
  }

  /** The patient's transactions on the indexed chain, oldest first (read-only: the index's own list). */
  ofPatient(patient: string): readonly IndexedTx[] {
    return this.patients.get(patient) ?? [];
  }

  /** The transactions of `kind` on the indexed chain, oldest first. */
  ofKind(kind: TxKind): readonly IndexedTx[] {
    return this.kinds.get(kind) ?? [];
  }

  private connect(chain: IndexableChain, height: number, lookup: SubjectLookup): void {
    const node = chain.atHeight(height)!;
    const patients: string[][] = [];
    node.block.txs.forEach((tx, i) => {
      const entry: IndexedTx = { tx, id: node.txKeys[i]!, height, block: node.key };
      listOf(this.kinds, tx.kind).push(entry);
      const whose = txPatients(tx, lookup);
      for (const p of whose) listOf(this.patients, p).push(entry);
      patients.push(whose);
    });
    this.blocks.push({ key: node.key, patients, kinds: node.block.txs.map((t) => t.kind) });
  }

  /** Takes a block's entries off the end of its lists (it is the highest block indexed, so they are last). */
  private disconnect(block: IndexedBlock): void {
    for (let i = block.kinds.length - 1; i >= 0; i--) {
      popFrom(this.kinds, block.kinds[i]!);
      for (const p of block.patients[i]!) popFrom(this.patients, p);
    }
  }
}

function listOf<K>(map: Map<K, IndexedTx[]>, key: K): IndexedTx[] {
  return map.get(key) ?? map.set(key, []).get(key)!;
}

function popFrom<K>(map: Map<K, IndexedTx[]>, key: K): void {
  const list = map.get(key);
  list?.pop();
  if (list?.length === 0) map.delete(key);
}
