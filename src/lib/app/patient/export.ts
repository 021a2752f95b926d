/**
 * The patient's export (SPEC §3, §7): the timeline, opened with the
 * patient's key, as a FHIR R4 Bundle (JSON) with attachments as Binary
 * resources, and the patient's grants and refusals from the ledger as
 * Consent resources (core/fhir-consent.ts). Records this device cannot open
 * are counted, not invented.
 */
import { longId } from '../../core/ids';
import { hexToBytes } from '../../core/bytes';
import { type HistoryEntry, toFhirBundle } from '../../core/fhir';
import { consentsOf } from '../../core/fhir-consent';
import type { RecordReader } from '../../core/record-crypto';
import type { NodeAccess } from '../node-access';
import { type TimelineEntry, openFull } from './timeline';

/** The Bundle of every openable entry, and how many could not be opened. */
export async function exportFhir(node: NodeAccess, patient: string, box: RecordReader, entries: readonly TimelineEntry[], generatedAt: string) {
  const history: HistoryEntry[] = [];
  let missing = 0;
  for (const e of [...entries].reverse()) {
    const opened = await openFull(node, e, box);
    if (!opened) {
      missing++;
      continue;
    }
    history.push({ id: e.id, category: e.category, body: opened.body, attachments: opened.attachments, source: e.hospitalName ?? 'patient' });
  }
  const ledger = node.ledger();
  const consents = ledger ? consentsOf(ledger, patient, node.now()) : [];
  return { bundle: toFhirBundle(longId(hexToBytes(patient)), history, generatedAt, consents), missing };
}
