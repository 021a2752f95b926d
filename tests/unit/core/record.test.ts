/**
 * Records as people write them (SPEC §3): the canonical encoding of a record
 * body, the checks a form applies before anything is encrypted (each problem
 * named by its field), and the public record header whose hash binds the
 * wrapped keys to one record.
 */
import { AssertionError } from '../../../src/lib/core/assert';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { toHex } from '../../../src/lib/core/bytes';
import { Writer } from '../../../src/lib/core/encoding';
import { Category, type Category as CategoryT } from '../../../src/lib/core/payloads';
import {
  ATTACHMENT_TYPES,
  MAX_ATTACHMENT_BYTES,
  MAX_FIELDS,
  MAX_FIELD_NAME,
  MAX_FIELD_VALUE,
  MAX_TEXT,
  MAX_TITLE,
  RECORD_BODY_VERSION,
  type AttachmentMeta,
  type RecordBody,
  type RecordHeader,
  checkRecordBody,
  decodeRecordBody,
  encodeRecordBody,
  encodeRecordHeader,
  recordContext,
} from '../../../src/lib/core/record';
import { decodeCode } from './codes';

const TODAY = '2026-06-15';

const GOOD: RecordBody = {
  title: 'Blood panel',
  date: '2026-06-01',
  authorName: 'Dr. Meera Iyer',
  fields: [
    { name: 'Haemoglobin', value: '13.1 g/dL' },
    { name: 'Platelets', value: '250 ×10⁹/L' },
  ],
  text: 'Within normal limits. Repeat in 6 months — नमस्ते 🩺',
  attachments: [
    { name: 'report.pdf', mime: 'application/pdf', size: 123_456 },
    { name: 'scan.png', mime: 'image/png', size: 1 },
  ],
};
const body = (over: Partial<RecordBody>): RecordBody => ({ ...GOOD, ...over });
const att = (over: Partial<AttachmentMeta>): AttachmentMeta => ({ name: 'a.pdf', mime: 'application/pdf', size: 10, ...over });
const fieldsOf = (b: RecordBody) => checkRecordBody(b, TODAY).map((p) => p.field);

// --- arbitraries --------------------------------------------------------------------

/** Any Unicode text (no lone surrogates) of at most `maxBytes` UTF-8 bytes. */
const text = (maxBytes: number, minLength = 0) => fc.string({ unit: 'binary', minLength, maxLength: Math.max(minLength, Math.floor(maxBytes / 4)) });
const dateArb = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const fieldArb = fc.record({ name: text(MAX_FIELD_NAME, 1).filter((s) => s.trim() !== ''), value: text(MAX_FIELD_VALUE) });
const attachmentArb = fc.record({
  name: text(255, 1).filter((s) => s.trim() !== ''),
  mime: fc.constantFrom(...ATTACHMENT_TYPES),
  size: fc.integer({ min: 1, max: MAX_ATTACHMENT_BYTES }),
});
/** Bodies that pass checkRecordBody (for TODAY). */
const validBodyArb: fc.Arbitrary<RecordBody> = fc.record({
  title: text(MAX_TITLE, 1).filter((s) => s.trim() !== ''),
  date: dateArb,
  authorName: text(MAX_FIELD_NAME),
  fields: fc.array(fieldArb, { maxLength: 6 }),
  text: text(2000),
  attachments: fc.array(attachmentArb, { maxLength: 4 }),
});
/** Bodies the encoding can carry (any u32 size, any MIME string): the codec is structural. */
const encodableBodyArb: fc.Arbitrary<RecordBody> = fc.record({
  title: text(MAX_TITLE),
  date: fc.oneof(dateArb, fc.string({ maxLength: 10 })),
  authorName: text(MAX_FIELD_NAME),
  fields: fc.array(fc.record({ name: text(MAX_FIELD_NAME), value: text(MAX_FIELD_VALUE) }), { maxLength: 6 }),
  text: text(4000),
  attachments: fc.array(fc.record({ name: text(255), mime: fc.oneof(fc.constantFrom(...ATTACHMENT_TYPES), text(100)), size: fc.nat({ max: 0xffffffff }) }), {
    maxLength: 4,
  }),
});

// --- encoding -----------------------------------------------------------------------

describe('RecordBody encoding', () => {
  it('round trip: decode(encode(b)) = b and encode(decode(bytes)) = bytes (any Unicode text)', () => {
    fc.assert(
      fc.property(encodableBodyArb, (b) => {
        const bytes = encodeRecordBody(b);
        const back = decodeRecordBody(bytes);
        expect(back).toEqual(b);
        expect(toHex(encodeRecordBody(back))).toBe(toHex(bytes));
      }),
    );
  });

  it('round trip of an example with astral characters, combining marks and every limit at its maximum', () => {
    const max: RecordBody = {
      title: 'é'.repeat(MAX_TITLE / 2),
      date: '2026-06-15',
      authorName: '😀'.repeat(MAX_FIELD_NAME / 4),
      fields: Array.from({ length: MAX_FIELDS }, (_, i) => ({ name: `n${i}`.padEnd(MAX_FIELD_NAME, 'x'), value: 'v'.repeat(MAX_FIELD_VALUE) })),
      text: 'a\u0301'.repeat(MAX_TEXT / 3),
      attachments: Array.from({ length: 20 }, (_, i) => ({ name: 'ñ'.repeat(126) + i, mime: 'image/webp', size: 0xffffffff })),
    };
    expect(decodeRecordBody(encodeRecordBody(max))).toEqual(max);
    expect(decodeRecordBody(encodeRecordBody(GOOD))).toEqual(GOOD);
  });

  it('starts with the body version', () => {
    expect(RECORD_BODY_VERSION).toBe(1);
    expect(encodeRecordBody(GOOD)[0]).toBe(RECORD_BODY_VERSION);
  });

  it('refuses trailing bytes (TRAILING_BYTES)', () => {
    fc.assert(
      fc.property(encodableBodyArb, fc.uint8Array({ minLength: 1, maxLength: 8 }), (b, extra) => {
        const bytes = new Uint8Array([...encodeRecordBody(b), ...extra]);
        expect(decodeCode(() => decodeRecordBody(bytes))).toBe('TRAILING_BYTES');
      }),
    );
  });

  it('refuses every truncation (TRUNCATED)', () => {
    const bytes = encodeRecordBody(GOOD);
    for (let n = 0; n < bytes.length; n++) expect(decodeCode(() => decodeRecordBody(bytes.subarray(0, n)))).toBe('TRUNCATED');
  });

  /** The encoding of GOOD up to (not including) `stop`, then whatever `rest` writes. */
  function handMade(stop: 'title' | 'fields' | 'text' | 'attachments', rest: (w: Writer) => void): Uint8Array {
    const w = new Writer().u8(RECORD_BODY_VERSION);
    if (stop === 'title') return (rest(w), w.finish());
    w.string(GOOD.title, MAX_TITLE).string(GOOD.date, 10).string(GOOD.authorName, MAX_FIELD_NAME);
    if (stop === 'fields') return (rest(w), w.finish());
    w.varuint(0);
    if (stop === 'text') return (rest(w), w.finish());
    w.string('t', MAX_TEXT);
    rest(w);
    return w.finish();
  }

  it('refuses a title over MAX_TITLE bytes (OVERSIZE), before reading it', () => {
    expect(decodeCode(() => decodeRecordBody(handMade('title', (w) => w.bytes(new Uint8Array(MAX_TITLE + 1).fill(0x61), 1000))))).toBe('OVERSIZE');
    expect(decodeCode(() => decodeRecordBody(handMade('title', (w) => w.varuint(MAX_TITLE + 1))))).toBe('OVERSIZE');
  });

  it('refuses more than MAX_FIELDS fields (OVERSIZE; the encoder asserts)', () => {
    const many = body({ fields: Array.from({ length: MAX_FIELDS + 1 }, (_, i) => ({ name: `f${i}`, value: 'x' })) });
    expect(() => encodeRecordBody(many)).toThrow(AssertionError);
    expect(decodeCode(() => decodeRecordBody(handMade('fields', (w) => w.varuint(1_000_000))))).toBe('OVERSIZE');
  });

  it('refuses text over MAX_TEXT bytes (OVERSIZE)', () => {
    expect(decodeCode(() => decodeRecordBody(handMade('text', (w) => w.varuint(MAX_TEXT + 1))))).toBe('OVERSIZE');
    const ok = handMade('text', (w) => w.bytes(new Uint8Array(MAX_TEXT).fill(0x61), MAX_TEXT).varuint(0));
    expect(decodeRecordBody(ok).text).toHaveLength(MAX_TEXT);
  });

  it('refuses more than 20 attachments (OVERSIZE; the encoder asserts)', () => {
    const many = body({ attachments: Array.from({ length: 21 }, () => att({})) });
    expect(() => encodeRecordBody(many)).toThrow(AssertionError);
    expect(decodeCode(() => decodeRecordBody(handMade('attachments', (w) => w.varuint(21))))).toBe('OVERSIZE');
    const twenty = body({ attachments: Array.from({ length: 20 }, () => att({})) });
    expect(decodeRecordBody(encodeRecordBody(twenty))).toEqual(twenty);
  });

  it('refuses a date string longer than 10 bytes and invalid UTF-8 (OVERSIZE, NON_CANONICAL)', () => {
    const longDate = new Writer().u8(1).string('t', MAX_TITLE).string('2026-06-15Z', 20).finish();
    expect(decodeCode(() => decodeRecordBody(longDate))).toBe('OVERSIZE');
    const badUtf8 = new Writer().u8(1).bytes(Uint8Array.of(0xc3, 0x28), MAX_TITLE).finish();
    expect(decodeCode(() => decodeRecordBody(badUtf8))).toBe('NON_CANONICAL');
  });

  // BUG (see report): readRecordBody reads the version byte and ignores it.
  it.each([0, 2, 255])('refuses an unknown body version %i (BAD_VERSION)', (v) => {
    const bytes = encodeRecordBody(GOOD);
    bytes[0] = v;
    expect(decodeCode(() => decodeRecordBody(bytes))).toBe('BAD_VERSION');
  });
});

// --- checkRecordBody -----------------------------------------------------------------

describe('checkRecordBody', () => {
  it('a good body has no problems', () => {
    expect(checkRecordBody(GOOD, TODAY)).toEqual([]);
    fc.assert(
      fc.property(validBodyArb, (b) => {
        expect(checkRecordBody(b, TODAY)).toEqual([]);
      }),
    );
  });

  it.each(['', ' ', '\n\t '])('an empty title %j is reported on "title"', (title) => {
    expect(fieldsOf(body({ title }))).toEqual(['title']);
  });

  it('the title limit counts UTF-8 bytes: 200 pass, 201 do not', () => {
    expect(fieldsOf(body({ title: 'é'.repeat(100) }))).toEqual([]);
    expect(fieldsOf(body({ title: 'é'.repeat(100) + 'x' }))).toEqual(['title']);
    expect(fieldsOf(body({ title: 'x'.repeat(MAX_TITLE + 1) }))).toEqual(['title']);
  });

  it.each(['2026-02-30', '2026-13-01', '26-01-01', '2026-00-10', '2026-04-31', '2025-02-29', '2026-1-01', '2026/01/01', '', '2026-01-01T00:00', ' 2026-01-01'])(
    'a date that is not a real YYYY-MM-DD date (%j) is reported on "date"',
    (date) => {
      expect(fieldsOf(body({ date }))).toEqual(['date']);
    },
  );

  it.each(['2024-02-29', '2000-02-29', '1999-12-31', '2026-01-31', TODAY])('the real date %j is accepted', (date) => {
    expect(fieldsOf(body({ date }))).toEqual([]);
  });

  it('a date after `today` is reported on "date"; today itself is fine', () => {
    expect(fieldsOf(body({ date: '2026-06-16' }))).toEqual(['date']);
    expect(fieldsOf(body({ date: '2027-01-01' }))).toEqual(['date']);
    expect(fieldsOf(body({ date: TODAY }))).toEqual([]);
    // A record's day counts from 1970 (it is what consent's date ranges are measured in).
    expect(checkRecordBody(body({ date: '1969-12-31' }), TODAY).map((p) => p.code)).toEqual(['DATE_TOO_OLD']);
    expect(checkRecordBody(body({ date: '1970-01-01' }), TODAY)).toEqual([]);
    expect(checkRecordBody(body({ date: '2026-06-16' }), '2026-06-16')).toEqual([]);
    fc.assert(
      fc.property(dateArb, dateArb, (d, today) => {
        expect(checkRecordBody(body({ date: d }), today).map((p) => p.field)).toEqual(d > today ? ['date'] : []);
      }),
    );
  });

  it('an author name over MAX_FIELD_NAME bytes is reported on "authorName"', () => {
    expect(fieldsOf(body({ authorName: 'x'.repeat(MAX_FIELD_NAME) }))).toEqual([]);
    expect(fieldsOf(body({ authorName: 'x'.repeat(MAX_FIELD_NAME + 1) }))).toEqual(['authorName']);
  });

  it('more than MAX_FIELDS fields is reported on "fields"', () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, value: 'v' }));
    expect(fieldsOf(body({ fields: fields(MAX_FIELDS) }))).toEqual([]);
    expect(fieldsOf(body({ fields: fields(MAX_FIELDS + 1) }))).toEqual(['fields']);
  });

  it('each bad field is named by its index: empty or long name, long value', () => {
    const fields = [
      { name: 'ok', value: 'fine' },
      { name: '  ', value: 'v' },
      { name: 'x'.repeat(MAX_FIELD_NAME + 1), value: 'v' },
      { name: 'long value', value: 'y'.repeat(MAX_FIELD_VALUE + 1) },
      { name: 'x'.repeat(MAX_FIELD_NAME), value: 'y'.repeat(MAX_FIELD_VALUE) },
    ];
    expect(fieldsOf(body({ fields }))).toEqual(['fields.1.name', 'fields.2.name', 'fields.3.value']);
  });

  it('text over MAX_TEXT bytes is reported on "text"', () => {
    expect(fieldsOf(body({ text: 'x'.repeat(MAX_TEXT) }))).toEqual([]);
    expect(fieldsOf(body({ text: 'x'.repeat(MAX_TEXT + 1) }))).toEqual(['text']);
    expect(fieldsOf(body({ text: 'é'.repeat(MAX_TEXT / 2) + 'x' }))).toEqual(['text']);
  });

  it('every allowed attachment type passes; others are reported on "attachments.<i>"', () => {
    expect(ATTACHMENT_TYPES).toEqual(expect.arrayContaining(['application/pdf', 'image/png', 'image/jpeg']));
    for (const mime of ATTACHMENT_TYPES) expect(fieldsOf(body({ attachments: [att({ mime })] }))).toEqual([]);
    for (const mime of ['application/x-msdownload', 'text/html', 'image/svg+xml', 'APPLICATION/PDF', ''])
      expect(fieldsOf(body({ attachments: [att({}), att({ mime })] }))).toEqual(['attachments.1']);
  });

  it('an attachment over 10 MB is reported; exactly 10 MB is fine', () => {
    expect(MAX_ATTACHMENT_BYTES).toBe(10 * 1024 * 1024);
    expect(fieldsOf(body({ attachments: [att({ size: MAX_ATTACHMENT_BYTES })] }))).toEqual([]);
    expect(fieldsOf(body({ attachments: [att({}), att({}), att({ size: MAX_ATTACHMENT_BYTES + 1 })] }))).toEqual(['attachments.2']);
  });

  it('an empty attachment is reported', () => {
    expect(fieldsOf(body({ attachments: [att({ size: 0 })] }))).toEqual(['attachments.0']);
  });

  it('more than 20 attachments is reported on "attachments"', () => {
    expect(fieldsOf(body({ attachments: Array.from({ length: 20 }, () => att({})) }))).toEqual([]);
    expect(fieldsOf(body({ attachments: Array.from({ length: 21 }, () => att({})) }))).toEqual(['attachments']);
  });

  it('reports every problem at once, each with its code', () => {
    const bad: RecordBody = {
      title: '',
      date: '2026-02-30',
      authorName: 'x'.repeat(101),
      fields: [{ name: '', value: 'v' }],
      text: 'x'.repeat(MAX_TEXT + 1),
      attachments: [att({ mime: 'text/html', size: 0 })],
    };
    const problems = checkRecordBody(bad, TODAY);
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['title', 'TITLE_EMPTY'],
      ['date', 'BAD_DATE'],
      ['authorName', 'AUTHOR_TOO_LONG'],
      ['fields.0.name', 'FIELD_NAME'],
      ['text', 'TEXT_TOO_LONG'],
      ['attachments.0', 'ATTACHMENT_TYPE'],
      ['attachments.0', 'ATTACHMENT_EMPTY'],
    ]);
    expect(problems.find((p) => p.code === 'ATTACHMENT_TYPE')?.args).toEqual([bad.attachments[0]!.name]);
  });

  // BUG (see report): checkRecordBody accepts bodies that encodeRecordBody then refuses
  // (it throws an AssertionError), so a record that passed the form cannot be sealed.
  it.each<[string, Partial<RecordBody>]>([
    ['a negative attachment size', { attachments: [att({ size: -1 })] }],
    ['a fractional attachment size', { attachments: [att({ size: 1.5 })] }],
    ['a NaN attachment size', { attachments: [att({ size: Number.NaN })] }],
    ['an attachment name over 255 bytes', { attachments: [att({ name: 'x'.repeat(256) })] }],
    ['a lone surrogate in the title', { title: 'Scan \uD83D' }],
    ['a lone surrogate in the text', { text: 'x\uDC00y' }],
  ])('a body it accepts can be encoded: %s', (_, over) => {
    const b = body(over);
    const accepted = checkRecordBody(b, TODAY).length === 0;
    let encodes = true;
    try {
      encodeRecordBody(b);
    } catch {
      encodes = false;
    }
    expect({ accepted, encodes }).not.toEqual({ accepted: true, encodes: false });
  });
});

// --- the record header ---------------------------------------------------------------

const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const categoryArb = fc.constantFrom(...(Object.values(Category) as CategoryT[]));
const headerArb: fc.Arbitrary<RecordHeader> = fc.record({
  patientId: key32,
  hospital: key32,
  author: key32,
  category: categoryArb,
  day: fc.nat({ max: 0xffffffff }),
  nonce: fc.maxSafeNat(),
});
type HeaderField = keyof RecordHeader;
const HEADER_FIELDS: readonly HeaderField[] = ['patientId', 'hospital', 'author', 'category', 'day', 'nonce'];

/** `h` with one field changed to another valid value. */
function changed(h: RecordHeader, field: HeaderField, seed: number): RecordHeader {
  switch (field) {
    case 'category':
      return { ...h, category: ((h.category + 1 + (seed % 7)) % 8) as CategoryT };
    case 'nonce':
      return { ...h, nonce: h.nonce === 0 ? 1 + (seed % 1000) : h.nonce - 1 - (seed % Math.min(h.nonce, 1000)) };
    case 'day':
      return { ...h, day: h.day === 0 ? 1 + (seed % 1000) : h.day - 1 - (seed % Math.min(h.day, 1000)) };
    default: {
      const b = h[field].slice();
      b[seed % 32] = b[seed % 32]! ^ (1 << (seed % 8));
      return { ...h, [field]: b };
    }
  }
}

describe('record header and context', () => {
  const H: RecordHeader = {
    patientId: new Uint8Array(32).fill(1),
    hospital: new Uint8Array(32),
    author: new Uint8Array(32).fill(3),
    category: Category.LabReport,
    day: 20_000,
    nonce: 2 ** 53 - 1,
  };

  it('the header encodes to a fixed 110 bytes: version, three keys, category, 32-bit day, 64-bit nonce', () => {
    const e = encodeRecordHeader(H);
    expect(e).toHaveLength(1 + 32 * 3 + 1 + 4 + 8);
    expect(e[0]).toBe(2);
    expect(e[97]).toBe(Category.LabReport);
    expect(toHex(e.subarray(98, 102))).toBe('00004e20');
    expect(toHex(e.subarray(102))).toBe('001fffffffffffff');
  });

  it('recordContext is a 32-byte hash and depends only on the header', () => {
    fc.assert(
      fc.property(headerArb, (h) => {
        const c = recordContext(h);
        expect(c).toHaveLength(32);
        const copy: RecordHeader = { ...h, patientId: h.patientId.slice(), hospital: h.hospital.slice(), author: h.author.slice() };
        expect(toHex(recordContext(copy))).toBe(toHex(c));
      }),
    );
  });

  it.each(HEADER_FIELDS)('recordContext (and the header encoding) differ when %s differs', (field) => {
    fc.assert(
      fc.property(headerArb, fc.nat(), (h, seed) => {
        const h2 = changed(h, field, seed);
        expect(toHex(encodeRecordHeader(h2))).not.toBe(toHex(encodeRecordHeader(h)));
        expect(toHex(recordContext(h2))).not.toBe(toHex(recordContext(h)));
      }),
      { numRuns: 50 },
    );
  });

  it('known answer: the header bytes and recordContext = SHA-256(len ‖ "medchain/record" ‖ header)', async () => {
    const { createHash } = await import('node:crypto');
    const expected = '02' + '01'.repeat(32) + '00'.repeat(32) + '03'.repeat(32) + '02' + '00004e20' + '001fffffffffffff';
    expect(toHex(encodeRecordHeader(H))).toBe(expected);
    const tag = Buffer.from('medchain/record');
    const want = createHash('sha256')
      .update(Buffer.concat([Buffer.from([tag.length]), tag, Buffer.from(expected, 'hex')]))
      .digest('hex');
    expect(want).toBe('9108ee8cbeb97fbb86799963b7f81fd65efc016dcd1bba2cdac3800a0d0c2040');
    expect(toHex(recordContext(H))).toBe(want);
  });

  it('recordContext is domain-separated from a plain hash of the header', async () => {
    const { sha256 } = await import('../../../src/lib/core/hash');
    expect(toHex(recordContext(H))).not.toBe(toHex(sha256(encodeRecordHeader(H))));
  });
});
