/**
 * What an attachment really is (issue 13): the detector's rules for each
 * allowed type with minimal headers, random bytes, empty and truncated
 * files, the PDF header window, plain text; and the check that a file's
 * contents agree with its declared type and its name, with the codes and
 * values the screens word (tests/unit/i18n/problem-words.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from '../../../src/lib/core/bytes';
import { DETECTABLE_TYPES, PDF_HEADER_WINDOW, checkAttachmentTypes, checkFileType, detectFileType, typeOfName } from '../../../src/lib/core/file-type';
import { Prng } from '../../../src/lib/core/prng';
import { ATTACHMENT_TYPES } from '../../../src/lib/core/record';

const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52);
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0);
const GIF = utf8('GIF89a\x01\x00\x01\x00');
const GIF87 = utf8('GIF87a');
const WEBP = concatBytes(utf8('RIFF'), Uint8Array.of(0x24, 0, 0, 0), utf8('WEBPVP8 '));
/** The buffer the browser stories upload. */
const STORY_PDF = utf8('%PDF-1.4\n% medchain story report\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const BINARY_PDF = concatBytes(utf8('%PDF-1.7\n%'), Uint8Array.of(0xe2, 0xe3, 0xcf, 0xd3), utf8('\n'), Uint8Array.of(0x78, 0x9c, 0x00, 0xff));
const TEXT = utf8('Hb 11.2 g/dL\r\nFerritin\tlow\n');
const random = (n: number, seed = 'random') => new Prng(`file-type/${seed}`).bytes(n);

describe('detectFileType', () => {
  it('knows exactly the types a record may carry', () => {
    expect([...DETECTABLE_TYPES].sort()).toEqual([...ATTACHMENT_TYPES].sort());
  });

  it('recognises each allowed type from a minimal header', () => {
    const cases: [string, Uint8Array, string][] = [
      ['PNG', PNG, 'image/png'],
      ['PNG signature alone', PNG.subarray(0, 8), 'image/png'],
      ['JPEG (JFIF)', JPEG, 'image/jpeg'],
      ['JPEG start of image and a marker', Uint8Array.of(0xff, 0xd8, 0xff), 'image/jpeg'],
      ['GIF89a', GIF, 'image/gif'],
      ['GIF87a', GIF87, 'image/gif'],
      ['WebP', WEBP, 'image/webp'],
      ['the browser stories’ PDF', STORY_PDF, 'application/pdf'],
      ['a PDF with binary content', BINARY_PDF, 'application/pdf'],
      ['PDF 2.0', utf8('%PDF-2.0\n'), 'application/pdf'],
      ['plain text', TEXT, 'text/plain'],
      ['UTF-8 text with a BOM and non-Latin letters', concatBytes(Uint8Array.of(0xef, 0xbb, 0xbf), utf8('रक्त जाँच – Hämoglobin 🩸\n')), 'text/plain'],
    ];
    for (const [name, bytes, type] of cases) expect(detectFileType(bytes), name).toBe(type);
  });

  it('finds a PDF header after a BOM or junk, only inside the first 1024 bytes and only with a version', () => {
    expect(detectFileType(concatBytes(Uint8Array.of(0xef, 0xbb, 0xbf), STORY_PDF))).toBe('application/pdf');
    const junk = (n: number) => new Uint8Array(n).fill(0x01);
    // The eight bytes `%PDF-1.7` end exactly at byte 1024: still a PDF.
    expect(detectFileType(concatBytes(junk(PDF_HEADER_WINDOW - 8), BINARY_PDF))).toBe('application/pdf');
    // One byte later they straddle the window: not a PDF, and with junk bytes not text either.
    expect(detectFileType(concatBytes(junk(PDF_HEADER_WINDOW - 7), BINARY_PDF))).toBeNull();
    expect(detectFileType(concatBytes(junk(4096), BINARY_PDF))).toBeNull();
    // "%PDF-" without a version is no header.
    expect(detectFileType(concatBytes(utf8('%PDF-x.y\n'), Uint8Array.of(0, 0xff)))).toBeNull();
    expect(detectFileType(utf8('%PDF-\n'))).toBe('text/plain');
  });

  it('finds no type in random bytes, however many', () => {
    for (let i = 0; i < 64; i++) expect(detectFileType(random(4096, `small-${i}`)), `seed ${i}`).toBeNull();
    expect(detectFileType(random(5 * 1024 * 1024, 'five-megabytes'))).toBeNull();
  });

  it('finds no type in an empty file, and none in a file shorter than its signature', () => {
    expect(detectFileType(new Uint8Array(0))).toBeNull();
    expect(detectFileType(PNG.subarray(0, 7))).toBeNull();
    expect(detectFileType(Uint8Array.of(0xff, 0xd8))).toBeNull();
    expect(detectFileType(WEBP.subarray(0, 11))).toBeNull();
    // Short ASCII prefixes of a signature are only text.
    expect(detectFileType(utf8('GIF89'))).toBe('text/plain');
    expect(detectFileType(utf8('%PDF-1'))).toBe('text/plain');
  });

  it('calls text plain only when all of it is UTF-8 without control bytes', () => {
    expect(detectFileType(concatBytes(TEXT, Uint8Array.of(0)))).toBeNull();
    expect(detectFileType(concatBytes(TEXT, Uint8Array.of(0x1b)))).toBeNull();
    expect(detectFileType(concatBytes(TEXT, Uint8Array.of(0x7f)))).toBeNull();
    // Latin-1 "café", a truncated UTF-8 sequence, and UTF-16LE "Hi".
    expect(detectFileType(Uint8Array.of(0x63, 0x61, 0x66, 0xe9))).toBeNull();
    expect(detectFileType(concatBytes(TEXT, Uint8Array.of(0xe0, 0xa4)))).toBeNull();
    expect(detectFileType(Uint8Array.of(0xff, 0xfe, 0x48, 0x00, 0x69, 0x00))).toBeNull();
    // Binary far past the start still makes it not text.
    expect(detectFileType(concatBytes(new Uint8Array(100_000).fill(0x41), Uint8Array.of(0)))).toBeNull();
  });
});

describe('typeOfName', () => {
  it('reads the type a name’s ending claims, in any case; unknown endings claim nothing', () => {
    expect(typeOfName('scan.PDF')).toBe('application/pdf');
    expect(typeOfName('photo.jpg')).toBe('image/jpeg');
    expect(typeOfName('photo.JFIF')).toBe('image/jpeg');
    expect(typeOfName('notes.txt')).toBe('text/plain');
    expect(typeOfName('archive.tar.gz')).toBeNull();
    expect(typeOfName('scan')).toBeNull();
    expect(typeOfName('pdf')).toBeNull();
  });
});

describe('checkFileType', () => {
  it('accepts contents that agree with the declared type and the name, returning the detected type', () => {
    expect(checkFileType({ name: 'scan.pdf', mime: 'application/pdf' }, STORY_PDF)).toEqual({ ok: true, mime: 'application/pdf' });
    expect(checkFileType({ name: 'photo.JPEG', mime: 'image/jpeg' }, JPEG)).toEqual({ ok: true, mime: 'image/jpeg' });
    expect(checkFileType({ name: 'dose.txt', mime: 'text/plain' }, TEXT)).toEqual({ ok: true, mime: 'text/plain' });
    // A name with no ending, or one we do not know, claims nothing.
    expect(checkFileType({ name: 'scan', mime: 'image/png' }, PNG)).toEqual({ ok: true, mime: 'image/png' });
    expect(checkFileType({ name: 'scan.0001', mime: 'image/webp' }, WEBP)).toEqual({ ok: true, mime: 'image/webp' });
  });

  it('refuses random bytes called .pdf, naming the file and what is allowed', () => {
    expect(checkFileType({ name: 'scan.pdf', mime: 'application/pdf' }, random(5000))).toEqual({
      ok: false,
      reason: 'UNRECOGNISED',
      args: ['scan.pdf', 'application/pdf'],
    });
    expect(checkFileType({ name: 'empty.txt', mime: 'text/plain' }, new Uint8Array(0))).toEqual({
      ok: false,
      reason: 'UNRECOGNISED',
      args: ['empty.txt', 'text/plain'],
    });
  });

  it('refuses a PNG renamed .pdf, saying what it really is', () => {
    expect(checkFileType({ name: 'scan.pdf', mime: 'application/pdf' }, PNG)).toEqual({
      ok: false,
      reason: 'MISMATCH',
      args: ['scan.pdf', 'application/pdf', 'image/png', 'png'],
    });
    expect(checkFileType({ name: 'report.txt', mime: 'text/plain' }, STORY_PDF)).toEqual({
      ok: false,
      reason: 'MISMATCH',
      args: ['report.txt', 'text/plain', 'application/pdf', 'pdf'],
    });
    expect(checkFileType({ name: 'scan', mime: 'image/gif' }, JPEG)).toEqual({ ok: false, reason: 'MISMATCH', args: ['scan', 'image/gif', 'image/jpeg', ''] });
  });

  it('refuses contents that agree with the declared type but not with the name', () => {
    expect(checkFileType({ name: 'scan.png', mime: 'application/pdf' }, STORY_PDF)).toEqual({
      ok: false,
      reason: 'MISMATCH',
      args: ['scan.png', 'image/png', 'application/pdf', 'pdf'],
    });
  });

  it('refuses a declared type that may not be attached, whatever the contents', () => {
    expect(checkFileType({ name: 'setup.exe', mime: 'application/x-msdownload' }, STORY_PDF)).toEqual({
      ok: false,
      reason: 'NOT_ALLOWED',
      args: ['setup.exe'],
    });
    expect(checkFileType({ name: 'scan.pdf', mime: '' }, STORY_PDF)).toMatchObject({ ok: false, reason: 'NOT_ALLOWED' });
    expect(checkFileType({ name: 'x', mime: 'toString' }, TEXT)).toMatchObject({ ok: false, reason: 'NOT_ALLOWED' });
  });
});

describe('checkAttachmentTypes', () => {
  const meta = (name: string, mime: string, bytes: Uint8Array) => ({ name, mime, size: bytes.length });

  it('returns the descriptions with their detected types when every file agrees', () => {
    const r = checkAttachmentTypes([meta('a.pdf', 'application/pdf', STORY_PDF), meta('b.png', 'image/png', PNG)], [STORY_PDF, PNG]);
    expect(r).toEqual({ metas: [meta('a.pdf', 'application/pdf', STORY_PDF), meta('b.png', 'image/png', PNG)], problems: [] });
  });

  it('names each refused file by its position, and refuses lists whose lengths differ', () => {
    const bad = random(100);
    const r = checkAttachmentTypes([meta('a.pdf', 'application/pdf', STORY_PDF), meta('b.pdf', 'application/pdf', bad)], [STORY_PDF, bad]);
    expect(r.problems).toEqual([{ field: 'attachments.1', code: 'UNRECOGNISED', args: ['b.pdf', 'application/pdf'] }]);
    expect(checkAttachmentTypes([meta('a.pdf', 'application/pdf', STORY_PDF)], []).problems).toEqual([{ field: 'attachments', code: 'FILES_CHANGED' }]);
  });
});
