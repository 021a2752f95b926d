/**
 * What an attachment really is (SPEC §3, §9; issue 13). A file's name and
 * declared MIME type are only claims: a file of random bytes called
 * `scan.pdf` was once accepted, sealed and shared. Before anything is
 * sealed, the editor reads the file's own contents and refuses it unless
 * they are an allowed type and agree with every claim the file makes.
 *
 * How a type is recognised, strictly, in this order (first match wins):
 * - PNG: the 8-byte signature `89 50 4E 47 0D 0A 1A 0A` at offset 0.
 * - JPEG: `FF D8 FF` (start of image, then the first marker) at offset 0.
 * - GIF: `GIF87a` or `GIF89a` at offset 0.
 * - WebP: `RIFF`, four size bytes, then `WEBP` at offset 0.
 * - PDF: `%PDF-` followed by a version `d.d` (e.g. `%PDF-1.4`), all eight
 *   bytes inside the first 1024. PDF readers look for the header in that
 *   window (real files may carry a BOM, a mail header or printer junk
 *   before it), so what we call a PDF is what a PDF reader would open as
 *   one. The version digits are required, which a bare mention of "%PDF-"
 *   lacks. Only the header is checked, not the whole document.
 * - Plain text: no signature exists, so the whole file must be valid
 *   UTF-8 (an optional BOM) with no control characters but tab, line feed,
 *   form feed and carriage return. UTF-16 text, with its zero bytes, is not
 *   plain text here. Signatures are tried first, so a text file beginning
 *   "GIF89a" or naming "%PDF-1.7" in its first KB counts as that type.
 * An empty file is no type. Pure: no clock, no browser APIs.
 */
import { ATTACHMENT_TYPES, type AttachmentMeta, type FieldProblem } from './record';

/** The attachment types the detector recognises (SPEC §3: PDF and images, and plain text). */
export type AttachmentType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'text/plain';

/** The file-name endings that claim each type (how people call the types is the catalogue's, src/lib/i18n `upload.kinds`). */
const KINDS: Readonly<Record<AttachmentType, { readonly endings: readonly string[] }>> = {
  'application/pdf': { endings: ['pdf'] },
  'image/png': { endings: ['png'] },
  'image/jpeg': { endings: ['jpg', 'jpeg', 'jpe', 'jfif'] },
  'image/webp': { endings: ['webp'] },
  'image/gif': { endings: ['gif'] },
  'text/plain': { endings: ['txt', 'text'] },
};

/** Every type the detector knows (tests hold this equal to the record rules' allowed list). */
export const DETECTABLE_TYPES = Object.keys(KINDS) as AttachmentType[];

/** How far into a file a PDF header may start: PDF readers' own window. */
export const PDF_HEADER_WINDOW = 1024;

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF87 = ascii('GIF87a');
const GIF89 = ascii('GIF89a');
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');
const PDF = ascii('%PDF-');
/** `%PDF-d.d`: eight bytes. */
const PDF_HEADER_LENGTH = PDF.length + 3;

const has = (b: Uint8Array, signature: readonly number[], at = 0): boolean => b.length >= at + signature.length && signature.every((x, i) => b[at + i] === x);
const isDigit = (x: number | undefined): boolean => x !== undefined && x >= 0x30 && x <= 0x39;

function hasPdfHeader(b: Uint8Array): boolean {
  const last = Math.min(b.length, PDF_HEADER_WINDOW) - PDF_HEADER_LENGTH;
  for (let at = 0; at <= last; at++) if (has(b, PDF, at) && isDigit(b[at + 5]) && b[at + 6] === 0x2e && isDigit(b[at + 7])) return true;
  return false;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Tab, line feed, form feed and carriage return: the only control bytes plain text may hold. */
function isPlainText(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if ((x < 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0c && x !== 0x0d) || x === 0x7f) return false;
  }
  try {
    strictUtf8.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** The type a file's contents show (see the module comment for the rules), or null when they show none we allow. */
export function detectFileType(bytes: Uint8Array): AttachmentType | null {
  if (bytes.length === 0) return null;
  if (has(bytes, PNG)) return 'image/png';
  if (has(bytes, JPEG)) return 'image/jpeg';
  if (has(bytes, GIF87) || has(bytes, GIF89)) return 'image/gif';
  if (has(bytes, RIFF) && has(bytes, WEBP, 8)) return 'image/webp';
  if (hasPdfHeader(bytes)) return 'application/pdf';
  return isPlainText(bytes) ? 'text/plain' : null;
}

const isAttachmentType = (mime: string): mime is AttachmentType => Object.hasOwn(KINDS, mime) && ATTACHMENT_TYPES.includes(mime);

/** The type a file name's ending claims, or null when the ending is none we know (an unknown ending claims nothing). */
export function typeOfName(name: string): AttachmentType | null {
  const ending = /\.([^.]+)$/.exec(name.trim())?.[1]?.toLowerCase();
  return ending === undefined ? null : (DETECTABLE_TYPES.find((t) => KINDS[t].endings.includes(ending)) ?? null);
}

/** Why a file's type was refused: its declared type is not allowed, its contents are no allowed type, or they are another type than claimed. */
export type FileTypeRefusal = 'NOT_ALLOWED' | 'UNRECOGNISED' | 'MISMATCH';

/**
 * A refused file, with what its sentence names: NOT_ALLOWED (file name),
 * UNRECOGNISED (file name, the type it claims), MISMATCH (file name, the
 * type it wrongly claims, the type its contents are, and the ending to
 * rename it to, or '' when its name is not the problem).
 */
export type FileTypeCheck =
  { readonly ok: true; readonly mime: AttachmentType } | { readonly ok: false; readonly reason: FileTypeRefusal; readonly args: readonly string[] };

/**
 * Checks one attachment before it is sealed: its declared MIME type must be
 * allowed, its contents must be an allowed type, and that type must agree
 * with the declared type and with the type its name's ending claims (if the
 * ending is one we know). On success the detected type is what to store.
 */
export function checkFileType(meta: Pick<AttachmentMeta, 'name' | 'mime'>, bytes: Uint8Array): FileTypeCheck {
  if (!isAttachmentType(meta.mime)) return { ok: false, reason: 'NOT_ALLOWED', args: [meta.name] };
  const detected = detectFileType(bytes);
  if (detected === null) return { ok: false, reason: 'UNRECOGNISED', args: [meta.name, meta.mime] };
  const byName = typeOfName(meta.name);
  if (detected !== meta.mime || (byName !== null && byName !== detected)) {
    const wrong = detected !== meta.mime ? meta.mime : (byName ?? detected);
    const rename = byName !== null && byName !== detected ? KINDS[detected].endings[0]! : '';
    return { ok: false, reason: 'MISMATCH', args: [meta.name, wrong, detected, rename] };
  }
  return { ok: true, mime: detected };
}

/**
 * Checks every attachment of a record against its description (same order):
 * the descriptions with their detected types, and one problem per refused
 * file (field `attachments.<i>`), or one for the list when the counts differ.
 */
export function checkAttachmentTypes(
  metas: readonly AttachmentMeta[],
  contents: readonly Uint8Array[],
): { readonly metas: AttachmentMeta[]; readonly problems: FieldProblem[] } {
  if (metas.length !== contents.length) return { metas: [...metas], problems: [{ field: 'attachments', code: 'FILES_CHANGED' }] };
  const problems: FieldProblem[] = [];
  const typed = metas.map((meta, i) => {
    const check = checkFileType(meta, contents[i]!);
    if (check.ok) return { ...meta, mime: check.mime };
    problems.push({ field: `attachments.${i}`, code: check.reason, args: check.args });
    return meta;
  });
  return { metas: typed, problems };
}
