/**
 * Reads a QR code from a camera frame, so a clinician finds a patient by
 * scanning the QR code the patient's app shows (SPEC §2, §7). Pure: RGBA
 * pixels in, text out. Supports what our encoder makes (level M, versions
 * 1–10, any of the eight masks, any rotation; a mirrored image too), with
 * numeric, alphanumeric and byte segments. Garbage gives a coded failure,
 * never a throw.
 */
import { binarize, type BinaryImage, type RgbaImage } from './decode-binarize';
import { correctBlocks, readCodewords } from './decode-codewords';
import { findFinders } from './decode-finder';
import { readFormat, readVersion } from './decode-format';
import { finderTriples, type FinderTriple } from './decode-locate';
import { sampleGrid } from './decode-sample';
import { readSegments } from './decode-segments';
import { MAX_VERSION, symbolSize } from './tables';

export type { RgbaImage } from './decode-binarize';

/** Why no text came out, from least to most progress made (a scan reports the furthest it got). */
export const QR_DECODE_CODES = ['BAD_IMAGE', 'NOT_FOUND', 'BAD_FORMAT', 'UNSUPPORTED', 'UNCORRECTABLE', 'BAD_DATA'] as const;
export type QrDecodeCode = (typeof QR_DECODE_CODES)[number];

export type QrDecodeResult =
  | { readonly ok: true; readonly text: string; readonly version: number; readonly corrected: number }
  | { readonly ok: false; readonly code: QrDecodeCode; readonly message: string };

const MESSAGES: Record<QrDecodeCode, string> = {
  BAD_IMAGE: 'The image has impossible dimensions or too few pixels.',
  NOT_FOUND: 'No QR code was found in the image.',
  BAD_FORMAT: 'A QR code was seen but its format information could not be read.',
  UNSUPPORTED: 'This QR code uses a version, error-correction level or mode this reader does not support.',
  UNCORRECTABLE: 'The QR code is too damaged or blurred to read.',
  BAD_DATA: 'The QR code holds malformed data.',
};

/** Largest image accepted (a 4K frame; a scanner sends far smaller ones). */
const MAX_PIXELS = 3840 * 2160;
/** The last QR version (177 modules a side). */
const LAST_VERSION = 40;
/** How many finder triples are tried before giving up on a frame. */
const MAX_TRIPLES = 6;

const fail = (code: QrDecodeCode): QrDecodeResult => ({ ok: false, code, message: MESSAGES[code] });

function transpose(grid: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(grid.length);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out[x * size + y] = grid[y * size + x]!;
  return out;
}

/**
 * Do the timing patterns (row and column 6, alternating between the
 * finders) read mostly right? Tells a real symbol of this size from a
 * chance arrangement of finder-like blobs, or from a wrong size guess.
 */
function timingHolds(grid: Uint8Array, size: number): boolean {
  let right = 0;
  for (let i = 8; i < size - 8; i++) {
    const want = i % 2 === 0 ? 1 : 0;
    if (grid[6 * size + i] === want) right++;
    if (grid[i * size + 6] === want) right++;
  }
  return right >= 0.8 * 2 * (size - 16);
}

/** Reads the symbol at `triple` as `version`; a version-information block naming another version is followed once. */
function readAt(img: BinaryImage, triple: FinderTriple, version: number, follow = true): QrDecodeResult {
  if (version > LAST_VERSION) return fail('NOT_FOUND');
  const size = symbolSize(version);
  const sampled = sampleGrid(img, triple, version);
  if (!sampled || !timingHolds(sampled, size)) return fail('NOT_FOUND');
  // A mirrored image is the symbol transposed: keep whichever reading has the cleaner format information.
  const mirrored = transpose(sampled, size);
  const straight = readFormat(sampled, size);
  const flipped = readFormat(mirrored, size);
  const useFlipped = flipped !== null && (straight === null || flipped.distance < straight.distance);
  const grid = useFlipped ? mirrored : sampled;
  const format = useFlipped ? flipped : straight;
  if (format === null) return fail('BAD_FORMAT');
  if (version >= 7) {
    const written = readVersion(grid, size);
    if (written !== null && written !== version) return follow ? readAt(img, triple, written, false) : fail('BAD_FORMAT');
  }
  if (format.level !== 'M' || version > MAX_VERSION) return fail('UNSUPPORTED');
  const data = correctBlocks(readCodewords(grid, version, format.mask), version);
  if (!data.ok) return fail('UNCORRECTABLE');
  const segments = readSegments(data.data, version);
  return segments.ok ? { ok: true, text: segments.text, version, corrected: data.corrected } : fail(segments.code);
}

/** The text of the first QR code found in `image`, or why none could be read. */
export function decodeQr(image: RgbaImage): QrDecodeResult {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > MAX_PIXELS) return fail('BAD_IMAGE');
  if (data === null || typeof data !== 'object' || !(data.length >= width * height * 4)) return fail('BAD_IMAGE');
  const img = binarize(image);
  let furthest: QrDecodeResult = fail('NOT_FOUND');
  const rank = (r: QrDecodeResult) => (r.ok ? QR_DECODE_CODES.length : QR_DECODE_CODES.indexOf(r.code));
  for (const triple of finderTriples(findFinders(img)).slice(0, MAX_TRIPLES)) {
    const guesses = [triple.version, triple.version + 1, triple.version - 1].filter((v) => v >= 1 && v <= LAST_VERSION);
    for (const version of guesses) {
      const result = readAt(img, triple, version);
      if (result.ok) return result;
      if (rank(result) > rank(furthest)) furthest = result;
    }
  }
  return furthest;
}
