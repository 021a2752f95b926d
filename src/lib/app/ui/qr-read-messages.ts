/**
 * What the page and the QR reader worker (qr-reader.worker.ts) say to each
 * other: a camera frame goes in (transferred, not copied), its reading comes
 * back under the same id.
 */

/** A frame to read; the worker closes it after reading. */
export interface ReadRequest {
  readonly id: number;
  readonly frame: ImageBitmap;
}

/**
 * The reading of one frame: the first QR code's text, or null when the frame
 * holds none; READER_FAILED when no detector could run (the WebAssembly did
 * not load, or the detector broke), so the page stops asking.
 */
export type ReadReply =
  { readonly id: number; readonly ok: true; readonly text: string | null } | { readonly id: number; readonly ok: false; readonly code: 'READER_FAILED' };
