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
import type { Category } from './payloads';

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

/** A problem with a form field, for the editor to show beside it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/**
 * Checks a record before it is encrypted; `today` is YYYY-MM-DD from the
 * caller's clock. Returns every problem, each naming its field.
 */
export function checkRecordBody(b: RecordBody, today: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const add = (field: string, message: string) => out.push({ field, message });
  const texts: [string, string][] = [['title', b.title], ['date', b.date], ['authorName', b.authorName], ['text', b.text]];
  b.fields.forEach((f, i) => texts.push([`fields.${i}.name`, f.name], [`fields.${i}.value`, f.value]));
  b.attachments.forEach((a, i) => texts.push([`attachments.${i}`, a.name], [`attachments.${i}`, a.mime]));
  for (const [field, text] of texts)
    if (LONE_SURROGATE.test(text)) add(field, 'This contains a broken character (half of an emoji or symbol); please retype it.');
  if (b.title.trim() === '') add('title', 'Give the record a title.');
  else if (utf8Length(b.title) > MAX_TITLE) add('title', `The title is too long (at most ${MAX_TITLE} bytes).`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(b.date) || Number.isNaN(Date.parse(`${b.date}T00:00:00Z`)) || new Date(`${b.date}T00:00:00Z`).toISOString().slice(0, 10) !== b.date)
    add('date', 'Enter a real date (YYYY-MM-DD).');
  else if (b.date > today) add('date', 'The date is in the future.');
  if (utf8Length(b.authorName) > MAX_FIELD_NAME) add('authorName', 'The author name is too long.');
  if (b.fields.length > MAX_FIELDS) add('fields', `At most ${MAX_FIELDS} structured fields.`);
  b.fields.forEach((f, i) => {
    if (f.name.trim() === '' || utf8Length(f.name) > MAX_FIELD_NAME) add(`fields.${i}.name`, 'Each field needs a short name.');
    if (utf8Length(f.value) > MAX_FIELD_VALUE) add(`fields.${i}.value`, `A field value is at most ${MAX_FIELD_VALUE} bytes.`);
  });
  if (utf8Length(b.text) > MAX_TEXT) add('text', 'The text is too long; attach longer documents as files.');
  if (b.attachments.length > MAX_ATTACHMENTS) add('attachments', `At most ${MAX_ATTACHMENTS} attachments.`);
  b.attachments.forEach((a, i) => {
    if (a.name.trim() === '' || utf8Length(a.name) > MAX_ATTACHMENT_NAME) add(`attachments.${i}`, 'Each attachment needs a file name of at most 255 bytes.');
    if (!ATTACHMENT_TYPES.includes(a.mime)) add(`attachments.${i}`, `${a.name}: only PDF, images and plain text can be attached.`);
    if (!Number.isInteger(a.size) || a.size <= 0) add(`attachments.${i}`, `${a.name} is empty or its size is unknown.`);
    else if (a.size > MAX_ATTACHMENT_BYTES) add(`attachments.${i}`, `${a.name} is larger than 10 MB.`);
  });
  return out;
}

/** The public header of a record: the associated data of its encryption. */
export interface RecordHeader {
  readonly patientId: Uint8Array;
  readonly hospital: Uint8Array;
  readonly author: Uint8Array;
  readonly category: Category;
  /** The nonce of the transaction that adds the record: unique per record. */
  readonly nonce: number;
}

export function encodeRecordHeader(h: RecordHeader): Uint8Array {
  return new Writer().u8(1).fixed(h.patientId, 32).fixed(h.hospital, 32).fixed(h.author, 32).u8(h.category).u64(h.nonce).finish();
}

/** What wraps of a record's data key are bound to (the HKDF info and associated data). */
export function recordContext(h: RecordHeader): Uint8Array {
  return taggedHash('medchain/record', encodeRecordHeader(h));
}
