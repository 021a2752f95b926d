/**
 * A file read in chunks as its consumer asks for them (issue 13 #7): the
 * chain file check pulls the next chunk only when it has used the last, so
 * a file is never held whole and a bad one stops being read at once.
 */
import type { FileHandle } from 'node:fs/promises';

/** Default read size: small next to any block, large enough that reads cost little. */
export const FILE_CHUNK_BYTES = 64 * 1024;

/** A read of the file failed (not its contents): the caller reports it as an unreadable file. */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
  constructor(readonly code: string) {
    super(`read failed: ${code}`);
  }
}

/**
 * The file's bytes from its current position to its end, `chunkBytes` at a
 * time. Each chunk is a fresh buffer (the consumer may keep it until used).
 * A failed read throws {@link FileReadError}.
 */
export async function* fileChunks(handle: FileHandle, chunkBytes = FILE_CHUNK_BYTES): AsyncGenerator<Uint8Array, void, undefined> {
  for (;;) {
    const buf = new Uint8Array(chunkBytes);
    let n: number;
    try {
      n = (await handle.read(buf, 0, chunkBytes, null)).bytesRead;
    } catch (e) {
      throw new FileReadError((e as NodeJS.ErrnoException).code ?? (e as Error).message);
    }
    if (n === 0) return;
    yield n === chunkBytes ? buf : buf.subarray(0, n);
  }
}
