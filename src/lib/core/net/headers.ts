/**
 * Headers known ahead of their blocks (SPEC §6: headers first, then only the
 * missing blocks). A header joins only when its parent is known (a block of
 * the chain or another header here), its height follows the parent's, its
 * bits are those the retarget rule requires (SPEC §5) and its hash meets
 * them; so a long run of forged headers costs real work. Its
 * cumulative work is computed here, never taken from a peer. Each entry
 * remembers which peers have the block, so downloads can be spread. Bounded;
 * an entry leaves when its block joins the chain, when its branch proves
 * invalid, or when no connected peer has it.
 */
import { type BlockHeader, headerHash } from '../header';
import type { BlockNode, ChainState } from '../chain';
import { isRetargetHeight, requiredBits } from '../retarget';
import { compareBytes, toHex } from '../bytes';
import { targetFromBits, workForTarget } from '../compact';
import { checkProofOfWork } from '../pow';
import { locatorHeights } from './locator';

export interface HeaderEntry {
  readonly key: string;
  readonly hash: Uint8Array;
  readonly header: BlockHeader;
  readonly height: number;
  readonly parentKey: string;
  /** Cumulative work, computed from the bits of this header and its ancestors. */
  readonly work: bigint;
  /** Peers known to have the block. */
  readonly sources: Set<string>;
  addedAt: number;
}

/**
 * `conflicts`: the header is at or below the final block's height, or
 * descends from a block there other than the final one: it can never join
 * the chain (nothing reorganises below the final block), so it is not kept.
 * Not a fault: an honest peer that has not learnt of our finality yet can
 * still announce such a tip (issue 13, defect 1: one cheap header forking
 * near genesis held the download window down).
 */
export type AddHeaderResult = 'added' | 'known' | 'unlinked' | 'invalid' | 'full' | 'conflicts';

export class HeaderIndex {
  private readonly entries = new Map<string, HeaderEntry>();
  private readonly byHeight = new Map<number, Set<string>>();
  /** Lowest height held: a number, null when empty, undefined when it must be found again. */
  private low: number | null | undefined = null;

  constructor(
    private readonly chain: ChainState,
    private readonly max: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** How many more headers fit. */
  get room(): number {
    return this.max - this.entries.size;
  }

  get(key: string): HeaderEntry | undefined {
    return this.entries.get(key);
  }

  /** Whether the block is in the chain or its header is here. */
  known(key: string): boolean {
    return this.entries.has(key) || this.chain.get(key) !== undefined;
  }

  /** Adds a header received from `source` (a peer that has the block); `hash`: its hash when the caller has it already. */
  add(header: BlockHeader, source: string, nowMs: number, hash: Uint8Array = headerHash(header)): AddHeaderResult {
    const key = toHex(hash);
    const had = this.entries.get(key);
    if (had) {
      // A peer that has a block has its ancestors: they may be held here for another peer (one that withheld
      // them and left), and can now be fetched from this one. Found by tests/unit/fuzz/mesh.test.ts.
      this.markSource(key, source);
      return 'known';
    }
    if (this.chain.get(key)) return 'known';
    const parentKey = toHex(header.prevHash);
    const parent = this.entries.get(parentKey) ?? this.chain.get(parentKey);
    if (!parent) return 'unlinked';
    if (!this.aboveFinal(parent)) return 'conflicts';
    const params = this.chain.params;
    let firstTime = 0;
    if (isRetargetHeight(params, header.height)) {
      const t = this.ancestorTime(parent, header.height - params.retargetInterval);
      if (t === null) return 'unlinked';
      firstTime = t;
    }
    const need = requiredBits(params, { height: parent.height, bits: parent.header.bits, time: parent.header.time }, () => firstTime);
    const target = targetFromBits(header.bits);
    if (header.height !== parent.height + 1 || header.bits !== need || target === null || target > params.powLimit || !checkProofOfWork(hash, header.bits))
      return 'invalid';
    if (this.entries.size >= this.max) return 'full';
    const work = ('work' in parent ? parent.work : parent.chainWork) + workForTarget(target);
    this.entries.set(key, { key, hash, header, height: header.height, parentKey, work, sources: new Set([source]), addedAt: nowMs });
    this.markSource(parentKey, source);
    let at = this.byHeight.get(header.height);
    if (!at) this.byHeight.set(header.height, (at = new Set()));
    at.add(key);
    if (this.low !== undefined && (this.low === null || header.height < this.low)) this.low = header.height;
    return 'added';
  }

  /** Whether `parent` is the final block or descends from it (a child of it can join the chain). */
  private aboveFinal(parent: HeaderEntry | BlockNode): boolean {
    const final = this.chain.finalized;
    if (parent.height < final.height) return false;
    if ('sources' in parent) return this.descends(parent.key, final);
    return this.chain.ancestor(parent, final.height) === final;
  }

  /** Time of the ancestor at `height` of a header here or a block of the chain; null if the line is broken. */
  private ancestorTime(from: HeaderEntry | BlockNode, height: number): number | null {
    let at: HeaderEntry | BlockNode | undefined = from;
    while (at && 'sources' in at && at.height > height) at = this.entries.get(at.parentKey) ?? this.chain.get(at.parentKey);
    if (!at) return null;
    if ('sources' in at) return at.header.time;
    return this.chain.ancestor(at, height)?.header.time ?? null;
  }

  /** Whether the block `key` (here or in the chain) is `node` or one of its descendants. */
  descends(key: string, node: BlockNode): boolean {
    let at: HeaderEntry | BlockNode | undefined = this.entries.get(key) ?? this.chain.get(key);
    while (at && 'sources' in at && at.height > node.height) at = this.entries.get(at.parentKey) ?? this.chain.get(at.parentKey);
    if (!at || 'sources' in at) return false;
    return this.chain.ancestor(at, node.height) === node;
  }

  /**
   * Marks `peer` as having the block `key` and its ancestors here. Every
   * entry's sources hold for its ancestors too (add() keeps it so), which is
   * why the walk stops at the first entry that has the peer.
   */
  markSource(key: string, peer: string): void {
    for (let e = this.entries.get(key); e && !e.sources.has(peer); e = this.entries.get(e.parentKey)) e.sources.add(peer);
  }

  /** Forgets `peer` everywhere (it disconnected). */
  dropSource(peer: string): void {
    for (const e of this.entries.values()) e.sources.delete(peer);
  }

  /** Removes one entry (its block joined the chain). */
  remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    const at = this.byHeight.get(e.height)!;
    at.delete(key);
    if (at.size > 0) return;
    this.byHeight.delete(e.height);
    if (e.height !== this.low) return;
    // Blocks join the chain lowest first: the next height up is almost always the new lowest.
    if (this.byHeight.size === 0) this.low = null;
    else this.low = this.byHeight.has(e.height + 1) ? e.height + 1 : undefined;
  }

  /** Removes an entry and every entry descending from it (an invalid branch); returns their keys. */
  removeBranch(key: string): string[] {
    const gone = new Set<string>();
    if (this.entries.has(key)) gone.add(key);
    const ordered = [...this.entries.values()].sort((a, b) => a.height - b.height);
    for (const e of ordered) if (gone.has(e.parentKey)) gone.add(e.key);
    for (const k of gone) this.remove(k);
    return [...gone];
  }

  /** Entries in ascending height (parents before children), lowest first, up to `maxHeight`. */
  *ascending(maxHeight = Infinity): Generator<HeaderEntry> {
    const low = this.lowestHeight();
    if (low === null) return;
    // A window above the lowest height is walked height by height (no scan of every entry).
    const heights =
      maxHeight - low <= this.byHeight.size
        ? Array.from({ length: Math.max(0, maxHeight - low + 1) }, (_, i) => low + i)
        : [...this.byHeight.keys()].filter((h) => h <= maxHeight).sort((a, b) => a - b);
    for (const h of heights) {
      const at = this.byHeight.get(h);
      if (!at) continue;
      const keys = at.size === 1 ? [...at] : [...at].sort();
      for (const k of keys) {
        const e = this.entries.get(k);
        if (e) yield e;
      }
    }
  }

  /** Lowest height of any entry, or null when empty. */
  lowestHeight(): number | null {
    if (this.low === undefined) {
      let low: number | null = null;
      for (const h of this.byHeight.keys()) if (low === null || h < low) low = h;
      this.low = low;
    }
    return this.low;
  }

  /** The entry with the most work (ties: lower hash), or null. */
  best(): HeaderEntry | null {
    let best: HeaderEntry | null = null;
    for (const e of this.entries.values()) if (!best || e.work > best.work || (e.work === best.work && compareBytes(e.hash, best.hash) < 0)) best = e;
    return best;
  }

  /**
   * Removes entries no connected peer has, older than `maxAgeMs` (and their
   * descendants), and entries finality has ruled out: any left at or below
   * the final block's height is off the final branch (the final branch's
   * blocks are in the chain, not here), and so is everything above it.
   */
  prune(nowMs: number, maxAgeMs: number): void {
    const finalHeight = this.chain.finalized.height;
    for (const e of [...this.entries.values()])
      if (this.entries.has(e.key) && ((e.sources.size === 0 && nowMs - e.addedAt > maxAgeMs) || e.height <= finalHeight)) this.removeBranch(e.key);
  }

  /**
   * A locator from our best knowledge: the best header here when it has more
   * work than the chain's tip, otherwise the tip.
   */
  locator(): Uint8Array[] {
    const tip = this.chain.tip;
    const best = this.best();
    const fromHeader = best !== null && best.work > tip.chainWork;
    const top = fromHeader ? best.height : tip.height;
    const out: Uint8Array[] = [];
    let e: HeaderEntry | undefined = fromHeader ? best : undefined;
    let node = tip;
    for (const h of locatorHeights(top)) {
      while (e && e.height > h) {
        const parent = this.entries.get(e.parentKey);
        if (!parent) node = this.chain.get(e.parentKey) ?? tip;
        e = parent;
      }
      const hash = e ? e.hash : this.chain.ancestor(node, h)?.hash;
      if (hash) out.push(hash);
    }
    return out;
  }
}
