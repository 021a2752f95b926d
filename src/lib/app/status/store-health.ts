/**
 * What the person is told about blocks this device stored but could not use
 * when the node started (the node's {@link StoreHealth}: node/start-up.ts
 * names them, keeps them in the store and never deletes them). Two causes
 * call for different words:
 *
 * - made by another version of medchain: the bytes are exactly those
 *   written (their digest holds) but this version cannot read them — a
 *   block encoding, header or transaction version, transaction kind or
 *   payload it does not know (issue 15 changed the consent and record
 *   payloads). Peers running this version cannot supply them either.
 * - damaged: anything else (changed bytes, a missing block, a broken rule);
 *   peers send them again through ordinary sync.
 *
 * Pure: the status source (app/node/status-source.ts) passes the node's
 * health, the status bar words the result (status.ts).
 */
import type { StoreHealth } from '../../node/types';

/** Codes of stored blocks that this version cannot read because another version made them. */
export const OTHER_VERSION_CODES: ReadonlySet<string> = new Set([
  'BAD_ENCODING', // bytes as written that do not decode (unknown transaction version or kind, another block format): node/stored-block.ts
  'BAD_VERSION', // a header version this version does not know
  'BAD_TX', // a transaction this version's structural rules refuse (unknown version or kind, another size limit)
  'BAD_PAYLOAD', // a payload that does not decode for its kind: an older payload format
]);

export type StoredTrouble = 'other-version' | 'damaged';

/** Why a stored block with rule `code` could not be used. */
export function troubleOf(code: string): StoredTrouble {
  return OTHER_VERSION_CODES.has(code) ? 'other-version' : 'damaged';
}

/** Stored blocks of one cause that are still not on the chain. */
export interface StoredGroup {
  /** The unusable blocks, with the sound ones set aside behind them. */
  readonly blocks: number;
  /** The lowest height among them (null when none is known: a record too damaged to say). */
  readonly fromHeight: number | null;
  /** The rule codes, sorted, each once. */
  readonly codes: readonly string[];
}

/** The store's health as the person is told it; null when the store held nothing unusable. */
export interface StoredBlocks {
  readonly otherVersion: StoredGroup | null;
  readonly damaged: StoredGroup | null;
  /** Blocks that have come back from peers since this start. */
  readonly repaired: number;
}

/**
 * Sums `health` up. While an unusable block is still missing from the chain,
 * the detached blocks (sound, but stored behind it — the chain after it and
 * any side branch from it) are counted with the cause of the lowest one,
 * which holds them back; once every unusable block came back from peers,
 * nothing is held back (side branches peers never resend are no loss).
 */
export function storedBlocks(health: StoreHealth | null): StoredBlocks | null {
  if (!health || health.bad.length === 0) return null;
  const back = new Set(health.repaired);
  const open = health.bad.filter((b) => !back.has(b.key));
  const waiting = health.detached.filter((k) => !back.has(k)).length;
  const lowest = [...open].sort((a, b) => (a.height ?? Infinity) - (b.height ?? Infinity))[0];
  const group = (trouble: StoredTrouble): StoredGroup | null => {
    const of = open.filter((b) => troubleOf(b.code) === trouble);
    if (of.length === 0) return null;
    const heights = of.flatMap((b) => (b.height === null ? [] : [b.height]));
    return {
      blocks: of.length + (lowest && troubleOf(lowest.code) === trouble ? waiting : 0),
      fromHeight: heights.length > 0 ? Math.min(...heights) : null,
      codes: [...new Set(of.map((b) => b.code))].sort(),
    };
  };
  return { otherVersion: group('other-version'), damaged: group('damaged'), repaired: back.size };
}

/** The rule codes behind a summary, once each (shown small beside the words, for whoever helps the person). */
export function storedCodes(s: StoredBlocks): string[] {
  return [...new Set([...(s.otherVersion?.codes ?? []), ...(s.damaged?.codes ?? [])])];
}
