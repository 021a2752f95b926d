/**
 * Reading a FHIR R4 Bundle file the patient chose to import (SPEC §3 "import
 * of one", §9 "bad input … imported files gets a clear error and loses
 * nothing"). Every way a file can be wrong gets its own code (with the
 * numbers its sentence names), which the screen words in the language shown
 * (`importFile` in the catalogue); nothing here writes anything. The records themselves
 * come from the core's {@link fromFhirBundle}, which also says which entries
 * it skipped and why.
 */
import { type ImportedRecord, type SkippedEntry, fromFhirBundle } from '../../core/fhir';

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
  | { readonly ok: true; readonly records: ImportedRecord[]; readonly skipped: readonly SkippedEntry[] }
  /** `args`: TOO_LARGE the file's and the limit's megabytes, NOT_BUNDLE the FHIR resource type it is ('' for other JSON), TOO_MANY_ENTRIES the count and the limit, NOTHING_TO_IMPORT the entries skipped. */
  | { readonly ok: false; readonly code: ImportFileCode; readonly args?: readonly (number | string)[] };

const fail = (code: ImportFileCode, ...args: (number | string)[]): ImportFile => (args.length > 0 ? { ok: false, code, args } : { ok: false, code });
const megabytes = (n: number) => Math.round(n / (1024 * 1024));

/** Refuses a file by its size alone, before it is read. */
export function checkImportSize(size: number): ImportFile | null {
  if (size > MAX_IMPORT_BYTES) return fail('TOO_LARGE', megabytes(size), megabytes(MAX_IMPORT_BYTES));
  if (size === 0) return fail('EMPTY');
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
    // The strict decoder refuses bytes that are not UTF-8.
    return fail('NOT_TEXT');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON at all: the code says so, the parser's position is of no use to a patient.
    return fail('NOT_JSON');
  }
  const bundle = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  if (!bundle || bundle.resourceType !== 'Bundle')
    return fail('NOT_BUNDLE', bundle && typeof bundle.resourceType === 'string' ? bundle.resourceType.slice(0, 40) : '');
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) return fail('NO_ENTRIES');
  if (bundle.entry.length > MAX_IMPORT_ENTRIES) return fail('TOO_MANY_ENTRIES', bundle.entry.length, MAX_IMPORT_ENTRIES);
  const read = fromFhirBundle(bundle, today);
  if (!read.ok) return fail('NOT_BUNDLE', '');
  if (read.records.length === 0) return fail('NOTHING_TO_IMPORT', read.skipped.length);
  return { ok: true, records: read.records, skipped: read.skipped };
}
