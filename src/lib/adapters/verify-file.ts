/**
 * Full verification of a chain file with its signatures checked ahead
 * (issue 7; SPEC §5 tamper evidence, §8 `medchain verify`): every
 * signature of the file (transactions and payload proofs) goes to the
 * batch engine in chunks — the page's verifying workers, or Node's
 * WebCrypto thread pool — while the core checks, block by block, the chunks
 * whose answers are back; a chunk the core reaches before the engine took it
 * is checked in this thread (on a loaded machine the worker may get less
 * than a core: the page then shares the checking instead of waiting). The core's three stages run on every block
 * exactly as in `verifyChainFile`, with the same report; the signatures'
 * answers are WebCrypto's, the same as noble's (shared precheck), and any
 * signature not primed is checked by noble there and then. Without
 * WebCrypto Ed25519 (an old platform) nothing is primed: noble checks all.
 */
import { readChainFile } from '../core/chainfile';
import { blockSignatureChecks, type SignatureCheck } from '../core/net/block-signatures';
import { nobleVerifier, type SignatureVerifier } from '../core/signature';
import { type VerifyChainOptions, type VerifyReport, verifyChainSteps } from '../core/verify-chain';
import type { BatchVerifier } from './verify-pool';
import { defaultBatchVerifier, inThreadBatchVerifier, primedVerifier, webcryptoEd25519Available } from './webcrypto-ed25519';

/** Chunks the engine works on at once (one being checked, one waiting its turn). */
const AHEAD = 2;

export interface AheadOptions extends Omit<VerifyChainOptions, 'verifier'> {
  /** Where the signatures are checked (default: the platform's, see defaultBatchVerifier). */
  readonly engine?: BatchVerifier;
  /** Blocks per chunk of signatures sent at once (default 250). */
  readonly chunkBlocks?: number;
  /** What checks a signature that was not primed (default noble). */
  readonly fallback?: SignatureVerifier;
}

export interface AheadResult {
  readonly report: VerifyReport;
  /** Signatures checked ahead. */
  readonly signatures: number;
  /** Milliseconds from the start until the last chunk's answers were back. */
  readonly primedMs: number;
}

/** Verifies a chain file like `verifyChainFile`, the signatures checked ahead and alongside. */
export async function verifyChainAhead(bytes: Uint8Array, now: number, options: AheadOptions = {}): Promise<AheadResult> {
  const start = performance.now();
  const file = readChainFile(bytes);
  if (!options.engine && !(await webcryptoEd25519Available())) {
    const steps = verifyChainSteps(file, now, { ...options, verifier: options.fallback ?? nobleVerifier });
    for (;;) {
      const r = steps.next();
      if (r.done) return { report: r.value, signatures: 0, primedMs: 0 };
    }
  }
  const verifier = primedVerifier(options.fallback ?? nobleVerifier, Number.MAX_SAFE_INTEGER, options.engine ?? defaultBatchVerifier);
  const size = options.chunkBlocks ?? 250;
  const chunks: SignatureCheck[][] = [];
  for (let from = 0; from < file.blocks.length; from += size) chunks.push(file.blocks.slice(from, from + size).flatMap(({ block }) => blockSignatureChecks(block)));
  const signatures = chunks.reduce((n, c) => n + c.length, 0);
  // Work sharing: the engine takes chunks in order, two at a time; while the core waits for a chunk the
  // engine has not answered yet, this thread checks the next chunk nobody took (so neither side idles).
  const answered: (Promise<void> | undefined)[] = [];
  const done = new Set<number>();
  let next = 0;
  let out = 0;
  let primedMs = 0;
  const settled = () => void (primedMs = performance.now() - start);
  /** Checks the next chunk nobody took, in this thread. */
  const here = (): Promise<void> => {
    const k = next++;
    return (answered[k] = verifier.prime(chunks[k]!, inThreadBatchVerifier).then(() => {
      done.add(k);
      settled();
    }));
  };
  const feed = () => {
    while (out < AHEAD && next < chunks.length) {
      const c = next++;
      out++;
      answered[c] = verifier.prime(chunks[c]!).then(() => {
        out--;
        done.add(c);
        settled();
        feed();
      });
    }
  };
  feed();
  const steps = verifyChainSteps(file, now, { ...options, verifier });
  for (let c = 0; ; c++) {
    if (c < chunks.length) {
      if (answered[c] === undefined) await here();
      while (!done.has(c) && next < chunks.length) await here();
      await answered[c];
    }
    for (let n = 0; n < size; n++) {
      const r = steps.next();
      if (r.done) {
        await Promise.all(answered);
        return { report: r.value, signatures, primedMs };
      }
    }
  }
}
