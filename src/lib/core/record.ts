/**
 * Records as people write them (SPEC §3): the plaintext body (title,
 * clinical date, author's name, structured fields, free text, attachment
 * descriptions) with its canonical encoding, the public record header that
 * is the AEAD's associated data, and the checks a form applies before
 * anything is encrypted.
 */
import { LONE_SURROGATE, Reader, Writer, decodeAll, encodeWith } from './encoding';
import { taggedHash } from './hash';
import { DecodeError } from './errors';
import { assert } from './assert';
import type { Category, Day } from './payloads';
import { type Problem, problem } from './problem';

export interface RecordField {
  readonly name: string;
  readonly value: string;
}

export interface AttachmentMeta {
  readonly name: string;
  readonly mime: string;
  readonly size: number;
}

export interface RecordBody {
  readonly title: string;
  /** Clinical date, YYYY-MM-DD. */
  readonly date: string;
  readonly authorName: string;
  readonly fields: readonly RecordField[];
  readonly text: string;
  /** Descriptions of the attachments, in the order of the record's attachment blobs. */
  readonly attachments: readonly AttachmentMeta[];
}

export const RECORD_BODY_VERSION = 1;
export const MAX_TITLE = 200;
export const MAX_FIELDS = 50;
export const MAX_FIELD_NAME = 100;
export const MAX_FIELD_VALUE = 2000;
export const MAX_TEXT = 48 * 1024;
export const MAX_ATTACHMENTS = 20;
export const MAX_ATTACHMENT_NAME = 255;
/** SPEC §3: attachments up to 10 MB each. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const ATTACHMENT_TYPES: readonly string[] = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp', 'image/gif', 'text/plain'];

export function writeRecordBody(w: Writer, b: RecordBody): void {
  w.u8(RECORD_BODY_VERSION).string(b.title, MAX_TITLE).string(b.date, 10).string(b.authorName, MAX_FIELD_NAME);
  assert(b.fields.length <= MAX_FIELDS && b.attachments.length <= MAX_ATTACHMENTS, 'record body over its list limits');
  w.varuint(b.fields.length);
  for (const f of b.fields) w.string(f.name, MAX_FIELD_NAME).string(f.value, MAX_FIELD_VALUE);
  w.string(b.text, MAX_TEXT).varuint(b.attachments.length);
  for (const a of b.attachments) w.string(a.name, MAX_ATTACHMENT_NAME).string(a.mime, 100).u32(a.size);
}

export function readRecordBody(r: Reader): RecordBody {
  const at = r.offset;
  const version = r.u8('record body version');
  if (version !== RECORD_BODY_VERSION) throw new DecodeError('BAD_VERSION', `unknown record body version ${version}`, at);
  const title = r.string(MAX_TITLE, 'title');
  const date = r.string(10, 'date');
  const authorName = r.string(MAX_FIELD_NAME, 'author name');
  const fields = Array.from({ length: r.count(MAX_FIELDS, 'fields') }, () => ({
    name: r.string(MAX_FIELD_NAME, 'field name'),
    value: r.string(MAX_FIELD_VALUE, 'field value'),
  }));
  const text = r.string(MAX_TEXT, 'text');
  const attachments = Array.from({ length: r.count(MAX_ATTACHMENTS, 'attachments') }, () => ({
    name: r.string(MAX_ATTACHMENT_NAME, 'attachment name'),
    mime: r.string(100, 'attachment type'),
    size: r.u32('attachment size'),
  }));
  return { title, date, authorName, fields, text, attachments };
}

export const encodeRecordBody = (b: RecordBody) => encodeWith(writeRecordBody, b);
export const decodeRecordBody = (bytes: Uint8Array) => decodeAll(bytes, readRecordBody, 'record body');

/** Why a record's form cannot be sealed as it is (one code per check; the screens word them, src/lib/i18n). */
export type RecordProblemCode =
  | 'BROKEN_CHARACTER'
  | 'TITLE_EMPTY'
  | 'TITLE_TOO_LONG'
  | 'BAD_DATE'
  | 'FUTURE_DATE'
  | 'DATE_TOO_OLD'
  | 'AUTHOR_TOO_LONG'
  | 'TOO_MANY_FIELDS'
  | 'FIELD_NAME'
  | 'FIELD_VALUE_TOO_LONG'
  | 'TEXT_TOO_LONG'
  | 'TOO_MANY_ATTACHMENTS'
  | 'ATTACHMENT_NAME'
  | 'ATTACHMENT_TYPE'
  | 'ATTACHMENT_EMPTY'
  | 'ATTACHMENT_TOO_LARGE'
  /** The files attached are not the ones described (file-type.ts). */
  | 'FILES_CHANGED'
  /** A file's declared type, contents or name refused (file-type.ts `FileTypeRefusal`, with its arguments). */
  | 'NOT_ALLOWED'
  | 'UNRECOGNISED'
  | 'MISMATCH';

/** A problem with a form field, for the editor to show beside it: the field, and the coded problem. */
export interface FieldProblem extends Problem<RecordProblemCode> {
  readonly field: string;
}

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/** Whether `d` is a real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  // eslint-disable-next-line no-restricted-globals -- Date only parses this fixed calendar date: it reads no clock (today is passed in)
  const t = Date.parse(`${d}T00:00:00Z`);
  // eslint-disable-next-line no-restricted-globals -- as above: formats the parsed instant, reads no clock
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/** The first clinical date a record may carry: its day is a count from here (payload-fields.ts `Day`). */
export const FIRST_RECORD_DATE = '1970-01-01';

/**
 * The day number of a checked clinical date (YYYY-MM-DD, not before
 * {@link FIRST_RECORD_DATE}): what the record's transaction carries in clear
 * so that consent's date ranges can be enforced by every node.
 */
export function recordDay(date: string): Day {
  assert(isCalendarDate(date) && date >= FIRST_RECORD_DATE, `not a checked record date: ${date}`);
  // eslint-disable-next-line no-restricted-globals -- Date only parses this fixed calendar date: it reads no clock
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

/** The day number of typed text when it is a real calendar date not before {@link FIRST_RECORD_DATE}; null otherwise (forms use it). */
export function parseRecordDay(text: string): Day | null {
  return isCalendarDate(text) && text >= FIRST_RECORD_DATE ? recordDay(text) : null;
}

/** The calendar date (YYYY-MM-DD) of a day number. */
export function dayDate(day: Day): string {
  // eslint-disable-next-line no-restricted-globals -- formats a fixed instant, reads no clock
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Checks a record before it is encrypted; `today` is YYYY-MM-DD from the
 * caller's clock. Returns every problem, each naming its field; the
 * arguments are the limit or the file name its sentence shows.
 */
export function checkRecordBody(b: RecordBody, today: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const add = (field: string, code: RecordProblemCode, ...args: (string | number)[]) => out.push({ field, ...problem(code, ...args) });
  const texts: [string, string][] = [
    ['title', b.title],
    ['date', b.date],
    ['authorName', b.authorName],
    ['text', b.text],
  ];
  b.fields.forEach((f, i) => texts.push([`fields.${i}.name`, f.name], [`fields.${i}.value`, f.value]));
  b.attachments.forEach((a, i) => texts.push([`attachments.${i}`, a.name], [`attachments.${i}`, a.mime]));
  for (const [field, text] of texts) if (LONE_SURROGATE.test(text)) add(field, 'BROKEN_CHARACTER');
  if (b.title.trim() === '') add('title', 'TITLE_EMPTY');
  else if (utf8Length(b.title) > MAX_TITLE) add('title', 'TITLE_TOO_LONG', MAX_TITLE);
  if (!isCalendarDate(b.date)) add('date', 'BAD_DATE');
  else if (b.date > today) add('date', 'FUTURE_DATE');
  else if (b.date < FIRST_RECORD_DATE) add('date', 'DATE_TOO_OLD');
  if (utf8Length(b.authorName) > MAX_FIELD_NAME) add('authorName', 'AUTHOR_TOO_LONG');
  if (b.fields.length > MAX_FIELDS) add('fields', 'TOO_MANY_FIELDS', MAX_FIELDS);
  b.fields.forEach((f, i) => {
    if (f.name.trim() === '' || utf8Length(f.name) > MAX_FIELD_NAME) add(`fields.${i}.name`, 'FIELD_NAME');
    if (utf8Length(f.value) > MAX_FIELD_VALUE) add(`fields.${i}.value`, 'FIELD_VALUE_TOO_LONG', MAX_FIELD_VALUE);
  });
  if (utf8Length(b.text) > MAX_TEXT) add('text', 'TEXT_TOO_LONG');
  if (b.attachments.length > MAX_ATTACHMENTS) add('attachments', 'TOO_MANY_ATTACHMENTS', MAX_ATTACHMENTS);
  b.attachments.forEach((a, i) => {
    if (a.name.trim() === '' || utf8Length(a.name) > MAX_ATTACHMENT_NAME) add(`attachments.${i}`, 'ATTACHMENT_NAME', MAX_ATTACHMENT_NAME);
    if (!ATTACHMENT_TYPES.includes(a.mime)) add(`attachments.${i}`, 'ATTACHMENT_TYPE', a.name);
    if (!Number.isInteger(a.size) || a.size <= 0) add(`attachments.${i}`, 'ATTACHMENT_EMPTY', a.name);
    else if (a.size > MAX_ATTACHMENT_BYTES) add(`attachments.${i}`, 'ATTACHMENT_TOO_LARGE', a.name);
  });
  return out;
}

/** The public header of a record: the associated data of its encryption. */
export interface RecordHeader {
  readonly patientId: Uint8Array;
  readonly hospital: Uint8Array;
  readonly author: Uint8Array;
  readonly category: Category;
  /** The clinical date's day, as the transaction carries it. */
  readonly day: Day;
  /** The nonce of the transaction that adds the record: unique per record. */
  readonly nonce: number;
}

export function encodeRecordHeader(h: RecordHeader): Uint8Array {
  return new Writer().u8(2).fixed(h.patientId, 32).fixed(h.hospital, 32).fixed(h.author, 32).u8(h.category).u32(h.day).u64(h.nonce).finish();
}

/** What wraps of a record's data key are bound to (the HKDF info and associated data). */
export function recordContext(h: RecordHeader): Uint8Array {
  return taggedHash('medchain/record', encodeRecordHeader(h));
}
