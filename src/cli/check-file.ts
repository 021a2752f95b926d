/**
 * A chain file on disk checked as it is read (SPEC §8, issue 13 #7): in
 * chunks, block by block, with signatures checked ahead on WebCrypto
 * (Node's thread pool) while the core checks each block (issue 7). Shared
 * by `medchain verify` and `medchain inspect`.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { verifyChainAhead } from '../lib/adapters/verify-file';
import type { VerifyReport } from '../lib/core/verify-chain';
import { FileReadError, fileChunks } from './file-chunks';
import { UsageError } from './io';

/** The report on the chain file at `path` (`now`: the checker's clock, seconds); an unreadable file is a {@link UsageError}. */
export async function checkChainFile(path: string, now: number): Promise<VerifyReport> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return (await verifyChainAhead(fileChunks(handle), now)).report;
  } catch (e) {
    if (e instanceof FileReadError) throw new UsageError(`cannot read ${path}: ${e.code}`);
    throw e;
  } finally {
    await handle.close();
  }
}
