/**
 * The patient's timeline (SPEC §3, §7): every record of theirs on the active
 * chain, from every hospital and their own uploads, newest first, each
 * opened on this device with the patient's box key. Attachments are listed
 * from the body and fetched only when asked for. A record whose blobs this
 * device cannot get (yet) is shown as such, never guessed at.
 */
import type { BlobRef, Category } from '../../core/payloads';
import type { RecordBody } from '../../core/record';
import { type RecordOnChain, type RecordReader, openRecordAs, recordKeyFor, headerOf } from '../../core/record-crypto';
import { decodeRecordBody, encodeRecordHeader } from '../../core/record';
import { openRecord } from '../../core/envelope';
import type { NodeAccess } from '../node-access';
import { recordsOnChain } from '../clinician/history';

export interface TimelineEntry {
  readonly id: string;
  readonly category: Category;
  /** Transaction time, seconds. */
  readonly time: number;
  /** Authoring hospital's name, or null for the patient's own upload. */
  readonly hospitalName: string | null;
  /** Staff member's name when a staff member wrote it. */
  readonly authorName: string | null;
  /** Null when this device cannot open it (its blobs are not here yet). */
  readonly body: RecordBody | null;
  readonly onChain: RecordOnChain;
}

/** The patient's records (erased ones left out), newest first, opened with `box`. */
export async function readTimeline(node: NodeAccess, patient: string, box: RecordReader): Promise<TimelineEntry[]> {
  const chain = node.chain();
  const ledger = node.ledger();
  if (!chain || !ledger) return [];
  const getBlob = (ref: BlobRef) => node.getBlob(ref);
  const out: TimelineEntry[] = [];
  for (const { id, onChain } of recordsOnChain(chain, patient)) {
    const state = ledger.records.get(id);
    if (!state || state.erased) continue;
    const key = await recordKeyFor(onChain, box, getBlob);
    let body: RecordBody | null = null;
    if (key) {
      const sealed = await node.getBlob(onChain.payload.body);
      const plain = sealed && openRecord(key, encodeRecordHeader(headerOf(onChain)), sealed);
      key.fill(0);
      body = plain ? decodeBodySafe(plain) : null;
    }
    out.push({
      id,
      category: state.category,
      time: state.time,
      hospitalName: state.hospital ? (ledger.hospitals.get(state.hospital)?.name ?? 'Unknown hospital') : null,
      authorName: ledger.staff.get(state.author)?.name ?? null,
      body,
      onChain,
    });
  }
  return out.sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1));
}

function decodeBodySafe(plain: Uint8Array): RecordBody | null {
  try {
    return decodeRecordBody(plain);
  } catch {
    return null;
  }
}

/** Entries of the chosen categories (all when none is chosen). */
export function filterTimeline(entries: readonly TimelineEntry[], categories: ReadonlySet<Category>): TimelineEntry[] {
  return categories.size === 0 ? [...entries] : entries.filter((e) => categories.has(e.category));
}

/** A record's body and every attachment, decrypted (for viewing, download and export); null when it cannot be opened. */
export function openFull(node: NodeAccess, entry: TimelineEntry, box: RecordReader) {
  return openRecordAs(entry.onChain, box, (ref) => node.getBlob(ref));
}
