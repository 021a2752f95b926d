/**
 * Reading a FHIR R4 Bundle file the patient chose to import (SPEC §3 "import
 * of one", §9 "bad input … imported files gets a clear error and loses
 * nothing"). Every way a file can be wrong gets its own code and a message
 * naming the problem; nothing here writes anything. The records themselves
 * come from the core's {@link fromFhirBundle}, which also says which entries
 * it skipped and why.
 */
import { type ImportedRecord, fromFhirBundle } from '../../core/fhir';

/**
 * Largest file accepted: 40 MB. An attachment may be 10 MB (SPEC §3) and
 * base64 in JSON grows it by a third, so this holds a few full-size files;
 * a phone parses it without running out of memory.
 */
export const MAX_IMPORT_BYTES = 40 * 1024 * 1024;
/** Most Bundle entries accepted (the core's own limit). */
export const MAX_IMPORT_ENTRIES = 10_000;

export type ImportFileCode = 'TOO_LARGE' | 'EMPTY' | 'NOT_TEXT' | 'NOT_JSON' | 'NOT_BUNDLE' | 'NO_ENTRIES' | 'TOO_MANY_ENTRIES' | 'NOTHING_TO_IMPORT';

export type ImportFile =
  | { readonly ok: true; readonly records: ImportedRecord[]; readonly skipped: readonly string[] }
  | { readonly ok: false; readonly code: ImportFileCode; readonly message: string };

const fail = (code: ImportFileCode, message: string): ImportFile => ({ ok: false, code, message });
const megabytes = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/** Refuses a file by its size alone, before it is read. */
export function checkImportSize(size: number): ImportFile | null {
  if (size > MAX_IMPORT_BYTES) return fail('TOO_LARGE', `The file is ${megabytes(size)}; a FHIR Bundle to import can be at most ${megabytes(MAX_IMPORT_BYTES)}. Export fewer records per file.`);
  if (size === 0) return fail('EMPTY', 'The file is empty.');
  return null;
}

/**
 * The records of a FHIR Bundle file (bytes as read from disk); `today` is
 * YYYY-MM-DD from the caller's clock. Never throws.
 */
export function readImportFile(bytes: Uint8Array, today: string): ImportFile {
  const bad = checkImportSize(bytes.length);
  if (bad) return bad;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('NOT_TEXT', 'The file is not text (UTF-8); a FHIR Bundle is a JSON text file.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const where = e instanceof SyntaxError ? ` (${e.message})` : '';
    return fail('NOT_JSON', `The file is not valid JSON${where}; choose the .json file of a FHIR Bundle.`);
  }
  const bundle = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  if (!bundle || bundle.resourceType !== 'Bundle') {
    const kind = bundle && typeof bundle.resourceType === 'string' ? `a FHIR ${bundle.resourceType.slice(0, 40)}` : 'JSON of another kind';
    return fail('NOT_BUNDLE', `The file is ${kind}, not a FHIR Bundle.`);
  }
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) return fail('NO_ENTRIES', 'The FHIR Bundle has no entries: there is nothing to import.');
  if (bundle.entry.length > MAX_IMPORT_ENTRIES) return fail('TOO_MANY_ENTRIES', `The FHIR Bundle has ${bundle.entry.length.toLocaleString('en')} entries; at most ${MAX_IMPORT_ENTRIES.toLocaleString('en')} can be imported from one file.`);
  const read = fromFhirBundle(bundle, today);
  if (!read.ok) return fail('NOT_BUNDLE', read.error);
  if (read.records.length === 0) {
    const why = read.skipped.slice(0, 3).join('; ');
    return fail('NOTHING_TO_IMPORT', `The FHIR Bundle holds no record medchain can import${why ? `: ${why}${read.skipped.length > 3 ? `; and ${read.skipped.length - 3} more` : ''}` : ''}.`);
  }
  return { ok: true, records: read.records, skipped: read.skipped };
}
