/**
 * A Blob (a File the person picked) read in slices as its consumer asks for
 * them (issue 13 #7): `Blob.slice` reads only the slice asked for, so a
 * chain file chosen for import is checked block by block and never held
 * whole, and a bad one stops being read at its first bad block.
 */

/** Default slice: small next to any block, large enough that reads cost little. */
export const BLOB_CHUNK_BYTES = 256 * 1024;

/** The blob's bytes in order, `chunkBytes` at a time. */
export async function* blobChunks(blob: Blob, chunkBytes = BLOB_CHUNK_BYTES): AsyncGenerator<Uint8Array, void, undefined> {
  for (let at = 0; at < blob.size; at += chunkBytes) yield new Uint8Array(await blob.slice(at, Math.min(at + chunkBytes, blob.size)).arrayBuffer());
}
