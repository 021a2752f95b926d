/**
 * Blocks whose body failed a signature check, remembered so that a peer
 * cannot make the node check the same bad body again and again (issue 13:
 * signatures are the costliest rule of a block).
 *
 * The memory is keyed by a hash of the block's whole encoding, never by its
 * header hash alone. A transaction's id leaves out its signature (tx.ts), and
 * the header commits to the ids only (merkle.ts), so a copy of a genuine
 * block with one signature altered has the genuine block's header hash:
 * condemning that hash would let anyone who relays such a copy make the
 * genuine block unacceptable. The whole encoding covers the header and every
 * signature, so only that exact bad body is remembered.
 *
 * Bounded (least recently used forgotten first). Hashing a whole block costs
 * little next to its signatures, and it is done only for a block whose header
 * hash some remembered body has, or once a body fails.
 */
import { assert } from './assert';
import { type Block, encodeBlock } from './block';
import { toHex } from './bytes';
import type { RuleCode } from './errors';
import { taggedHash } from './hash';

/** How many bad bodies are remembered by default: each entry costs a few hundred bytes. */
export const MAX_BAD_BODIES = 4096;

/** Hex digest of a block's whole canonical encoding (header and every transaction, signatures included). */
export function bodyDigest(block: Block): string {
  return toHex(taggedHash('medchain/block-body', encodeBlock(block)));
}

export class BadBodies {
  /** Body digest → the header it belongs to and the rule it broke; oldest use first. */
  private readonly entries = new Map<string, { readonly header: string; readonly code: RuleCode }>();
  /** Header hex hash → how many remembered bodies carry it (so honest blocks are never hashed whole). */
  private readonly headers = new Map<string, number>();

  constructor(private readonly max = MAX_BAD_BODIES) {
    assert(Number.isInteger(max) && max > 0, 'bad-body memory needs room for at least one body');
  }

  /** How many bodies are remembered. */
  get size(): number {
    return this.entries.size;
  }

  /** The rule this exact block was found to break, or null; a hit counts as a use. */
  get(header: string, block: Block): RuleCode | null {
    if (!this.headers.has(header)) return null;
    const digest = bodyDigest(block);
    const e = this.entries.get(digest);
    if (!e) return null;
    this.entries.delete(digest);
    this.entries.set(digest, e);
    return e.code;
  }

  /** Remembers that this exact block broke `code`, forgetting the least recently used body when full. */
  remember(header: string, block: Block, code: RuleCode): void {
    const digest = bodyDigest(block);
    if (this.entries.has(digest)) this.drop(digest);
    if (this.entries.size >= this.max) this.drop(this.entries.keys().next().value!);
    this.entries.set(digest, { header, code });
    this.headers.set(header, (this.headers.get(header) ?? 0) + 1);
  }

  private drop(digest: string): void {
    const e = this.entries.get(digest);
    if (!e) return;
    this.entries.delete(digest);
    const n = this.headers.get(e.header)! - 1;
    if (n === 0) this.headers.delete(e.header);
    else this.headers.set(e.header, n);
  }
}
