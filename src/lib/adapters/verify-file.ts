/**
 * Full verification of a chain file with its signatures checked ahead
 * (issue 7; SPEC §5 tamper evidence, §8 `medchain verify`), read as it
 * arrives (issue 13 #7): the file comes in chunks (a file's reads, a Blob's
 * slices), the core's decoder turns them into blocks, and every block's
 * header rules (proof of work first) are checked the moment its header is
 * in, before its body is read. Blocks that pass are gathered into groups
 * (at most `chunkBlocks` blocks or `chunkBytes` bytes) whose signatures
 * (transactions and payload proofs) go to the batch engine — the page's
 * verifying workers, or Node's WebCrypto thread pool — while the core
 * checks, block by block, the groups whose answers are back; a group the
 * core reaches before the engine took it is checked in this thread (on a
 * loaded machine the worker may get less than a core: the page then shares
 * the checking instead of waiting). At most {@link READ_AHEAD} groups are
 * held besides the chain being built, so memory stays bounded whatever the
 * file claims. The core's three stages run on every block exactly as in
 * `verifyChainStream`, with the same report; the signatures' answers are
 * WebCrypto's, the same as noble's (shared precheck), and any signature not
 * primed is checked by noble there and then. Without WebCrypto Ed25519 (an
 * old platform) nothing is primed: noble checks all.
 */
import { type Block, blockHash } from '../core/block';
import { blockSignatureChecks, type SignatureCheck } from '../core/net/block-signatures';
import { nobleVerifier, type SignatureVerifier } from '../core/signature';
import { ChainFileCheck, chainFileEvents, type VerifyChainOptions, type VerifyReport, verifyChainStream } from '../core/verify-chain';
import type { BatchVerifier } from './verify-pool';
import { defaultBatchVerifier, inThreadBatchVerifier, primedVerifier, webcryptoEd25519Available } from './webcrypto-ed25519';

/** Groups the engine works on at once (one being checked, one waiting its turn). */
const AHEAD = 2;
/** Groups read but not yet checked by the core: what bounds memory while signatures are checked ahead. */
export const READ_AHEAD = 4;
/** Default byte budget of one group. */
const CHUNK_BYTES = 2 * 1024 * 1024;

/** A chain file: whole in memory, or its chunks as they are read. */
export type ChainFileInput = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface AheadOptions extends Omit<VerifyChainOptions, 'verifier'> {
  /** Where the signatures are checked (default: the platform's, see defaultBatchVerifier). */
  readonly engine?: BatchVerifier;
  /** Blocks per group of signatures sent at once (default 250). */
  readonly chunkBlocks?: number;
  /** Encoded bytes of blocks per group at most (default 2 MiB; a group holds at least one block). */
  readonly chunkBytes?: number;
  /** What checks a signature that was not primed (default noble). */
  readonly fallback?: SignatureVerifier;
}

export interface AheadResult {
  readonly report: VerifyReport;
  /** Signatures checked ahead. */
  readonly signatures: number;
  /** Milliseconds from the start until the last group's answers were back. */
  readonly primedMs: number;
}

interface Group {
  readonly blocks: readonly { readonly index: number; readonly block: Block; readonly size: number }[];
  readonly checks: readonly SignatureCheck[];
  answered: Promise<void> | null;
  done: boolean;
}

/** Verifies a chain file like `verifyChainStream`, the signatures checked ahead and alongside. */
export async function verifyChainAhead(input: ChainFileInput, now: number, options: AheadOptions = {}): Promise<AheadResult> {
  const start = performance.now();
  const source = input instanceof Uint8Array ? [input] : input;
  if (!options.engine && !(await webcryptoEd25519Available())) {
    const report = await verifyChainStream(source, now, { ...options, verifier: options.fallback ?? nobleVerifier });
    return { report, signatures: 0, primedMs: 0 };
  }
  const verifier = primedVerifier(options.fallback ?? nobleVerifier, Number.MAX_SAFE_INTEGER, options.engine ?? defaultBatchVerifier);
  const check = new ChainFileCheck(now, { ...options, verifier });
  const events = chainFileEvents(source);
  const maxBlocks = options.chunkBlocks ?? 250;
  const maxBytes = options.chunkBytes ?? CHUNK_BYTES;
  /** Groups read and not yet checked by the core, in file order. */
  const held: Group[] = [];
  const taken: Promise<void>[] = [];
  /** How reading ended: the file's end, or a report decided without the blocks before it (a header, damage). */
  let last: VerifyReport | 'end' | null = null;
  /** The file's first block: the network every signature binds (a file that starts otherwise is refused by the core). */
  let genesis: Uint8Array | null = null;
  let signatures = 0;
  let out = 0;
  let primedMs = 0;

  const take = (g: Group, using?: BatchVerifier): Promise<void> => {
    const answered = verifier.prime(g.checks, using).then(() => {
      g.done = true;
      primedMs = performance.now() - start;
    });
    taken.push(answered);
    return (g.answered = answered);
  };
  // The engine takes groups in order, AHEAD at a time.
  const feed = (): void => {
    for (const g of held) {
      if (out >= AHEAD) return;
      if (g.answered) continue;
      out++;
      void take(g).then(() => {
        out--;
        feed();
      });
    }
  };
  /** Reads the next group of blocks whose headers passed; null once reading has ended. */
  const read = async (): Promise<Group | null> => {
    const blocks: { index: number; block: Block; size: number }[] = [];
    let bytes = 0;
    while (last === null && blocks.length < maxBlocks && bytes < maxBytes) {
      const r = await events.next();
      if (r.done) throw new Error('chain file events ended without a terminal event');
      const e = r.value;
      if (e.kind === 'block') {
        blocks.push({ index: e.index, block: e.block, size: e.bytes.length });
        bytes += e.bytes.length;
        genesis ??= blockHash(e.block);
      } else if (e.kind === 'end') last = 'end';
      else last = check.accept(e);
    }
    if (blocks.length === 0) return null;
    const checks = blocks.flatMap(({ block }) => blockSignatureChecks(block, genesis!));
    signatures += checks.length;
    return { blocks, checks, answered: null, done: false };
  };
  const finish = async (report: VerifyReport): Promise<AheadResult> => {
    await Promise.all(taken);
    return { report, signatures, primedMs };
  };

  try {
    for (;;) {
      while (held.length < READ_AHEAD && last === null) {
        const g = await read();
        if (!g) break;
        held.push(g);
        feed();
      }
      const g = held[0];
      if (!g) break;
      // Work sharing: while the core waits for a group the engine has not answered, this thread checks the next group nobody took.
      if (!g.answered) await take(g, inThreadBatchVerifier);
      for (let spare = held.find((x) => !x.answered); !g.done && spare; spare = held.find((x) => !x.answered)) await take(spare, inThreadBatchVerifier);
      await g.answered;
      held.shift();
      for (const b of g.blocks) {
        const report = check.block(b.index, b.block, b.size);
        if (report) return await finish(report);
      }
    }
    if (last === null) throw new Error('chain file reading ended without a report');
    return await finish(last === 'end' ? check.accept({ kind: 'end' })! : last);
  } finally {
    await events.return();
  }
}
