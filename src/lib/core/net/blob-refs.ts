/**
 * Which blobs this node may ask for and serve (SPEC §3, §6): a blob is
 * fetched or served only when a transaction on our active chain or in our
 * pending pool references it (AddRecord's body, attachments and keys;
 * ShareKeys' keys), so no peer can use the mesh as storage for arbitrary
 * bytes, and never once its record is erased (an EraseRecord on the chain or
 * pending here): erased data is not handed out again. Which kinds reference
 * or erase blobs each kind says in its file under kinds/ (`blobs`).
 *
 * Derived from transactions, not from the ledger, so it works on any chain
 * state. Per-block and per-transaction findings are cached (neither
 * changes); the chain view is rebuilt when the tip moves, the pool view per
 * question (the pool is bounded).
 */
import { toHex } from '../bytes';
import type { BlockNode, ChainState } from '../chain';
import { kindSpec } from '../kinds';
import type { TxBlobs } from '../kinds/spec';
import { type BlobRef, payloadOrNull } from '../payloads';
import type { Tx } from '../tx';

/** The blobs a transaction references or the record it erases (its kind's `blobs`, kinds/); null for other kinds and undecodable payloads. */
export function blobsOfTx(tx: Tx): TxBlobs | null {
  const { blobs } = kindSpec(tx.kind);
  if (!blobs) return null;
  const p = payloadOrNull(tx);
  return p ? blobs(p, tx) : null;
}

/** A referenced blob: its ref, its record, and whether that record is erased. */
export interface BlobEntry {
  readonly ref: BlobRef;
  readonly record: string;
  readonly erased: boolean;
}

interface View {
  readonly byHash: Map<string, { ref: BlobRef; record: string }>;
  readonly byRecord: Map<string, string[]>;
  readonly erased: Set<string>;
}

export class BlobIndex {
  private readonly perBlock = new Map<string, readonly TxBlobs[]>();
  /** Pool transactions' findings by tx key (pruned when it outgrows the pool). */
  private readonly perPending = new Map<string, TxBlobs | null>();
  private view: View | null = null;
  private viewTip = '';

  constructor(private readonly chain: ChainState) {}

  /** The referenced blob with hex hash `hash`, or null when nothing on the chain or in the pool references it. */
  lookup(hash: string): BlobEntry | null {
    const v = this.current();
    const pool = this.pool();
    const found = v.byHash.get(hash) ?? pool.byHash.get(hash);
    if (!found) return null;
    return { ref: found.ref, record: found.record, erased: v.erased.has(found.record) || pool.erased.has(found.record) };
  }

  /** Hex hashes of every blob of `record` known on the active chain. */
  blobsOfRecord(record: string): string[] {
    return [...(this.current().byRecord.get(record) ?? [])];
  }

  /** Records erased by transactions in the active blocks at heights `from`..`to` (inclusive). */
  erasedIn(from: number, to: number): string[] {
    const out: string[] = [];
    for (const n of this.chain.activeBlocks(Math.max(0, from))) {
      if (n.height > to) break;
      for (const t of this.ofBlock(n)) if ('erase' in t) out.push(t.erase);
    }
    return out;
  }

  /** A block's blob references; none while its body is not available here (damaged below the snapshot), never a throw. */
  private ofBlock(n: BlockNode): readonly TxBlobs[] {
    if (!this.chain.hasBody(n)) return [];
    let found = this.perBlock.get(n.key);
    if (!found) {
      found = n.block.txs.map(blobsOfTx).filter((t): t is TxBlobs => t !== null);
      this.perBlock.set(n.key, found);
    }
    return found;
  }

  private current(): View {
    if (this.view && this.viewTip === this.chain.tip.key) return this.view;
    const v = emptyView();
    for (const n of this.chain.activeBlocks()) for (const t of this.ofBlock(n)) add(v, t);
    this.view = v;
    this.viewTip = this.chain.tip.key;
    return v;
  }

  private pool(): View {
    const v = emptyView();
    const list = this.chain.pending.list();
    if (this.perPending.size > 2 * list.length + 64) this.perPending.clear();
    for (const e of list) {
      let t = this.perPending.get(e.key);
      if (t === undefined) this.perPending.set(e.key, (t = blobsOfTx(e.tx)));
      if (t) add(v, t);
    }
    return v;
  }
}

function emptyView(): View {
  return { byHash: new Map(), byRecord: new Map(), erased: new Set() };
}

function add(v: View, t: TxBlobs): void {
  if ('erase' in t) {
    v.erased.add(t.erase);
    return;
  }
  const list = v.byRecord.get(t.record) ?? [];
  for (const ref of t.refs) {
    const hex = toHex(ref.hash);
    if (!v.byHash.has(hex)) v.byHash.set(hex, { ref, record: t.record });
    list.push(hex);
  }
  v.byRecord.set(t.record, list);
}
