/**
 * Full verification of a chain file with its signatures checked ahead
 * (issue 7; SPEC §5 tamper evidence, §8 `medchain verify`): every
 * signature of the file (transactions and payload proofs) goes to the
 * batch engine in chunks, all at once — the page's verifying workers, or
 * Node's WebCrypto thread pool — while the core checks, block by block, the
 * chunks whose answers are back. The core's three stages run on every block
 * exactly as in `verifyChainFile`, with the same report; the signatures'
 * answers are WebCrypto's, the same as noble's (shared precheck), and any
 * signature not primed is checked by noble there and then. Without
 * WebCrypto Ed25519 (an old platform) nothing is primed: noble checks all.
 */
import { readChainFile } from '../core/chainfile';
import { blockSignatureChecks } from '../core/net/block-signatures';
import { nobleVerifier, type SignatureVerifier } from '../core/signature';
import { type VerifyChainOptions, type VerifyReport, verifyChainSteps } from '../core/verify-chain';
import type { BatchVerifier } from './verify-pool';
import { defaultBatchVerifier, primedVerifier, webcryptoEd25519Available } from './webcrypto-ed25519';

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
  const chunk = options.chunkBlocks ?? 250;
  const primes: Promise<void>[] = [];
  let signatures = 0;
  let primedMs = 0;
  for (let from = 0; from < file.blocks.length; from += chunk) {
    const items = file.blocks.slice(from, from + chunk).flatMap(({ block }) => blockSignatureChecks(block));
    signatures += items.length;
    primes.push(verifier.prime(items).then(() => void (primedMs = performance.now() - start)));
  }
  const steps = verifyChainSteps(file, now, { ...options, verifier });
  for (let c = 0; ; c++) {
    if (c < primes.length) await primes[c];
    for (let n = 0; n < chunk; n++) {
      const r = steps.next();
      if (r.done) {
        await Promise.all(primes);
        return { report: r.value, signatures, primedMs };
      }
    }
  }
}
