/**
 * The passphrase estimator and generator, loaded on demand (SPEC §2): the
 * estimator's word lists are megabytes, so they come with a dynamic import
 * the first time a screen asks, never with the first page. The generator
 * draws from crypto.getRandomValues.
 */
import type { StrengthOf } from '../../core/passphrase-policy';

export interface PassphraseTools {
  readonly strengthOf: StrengthOf;
  /** A fresh passphrase of common words (core/passphrase-words.ts). */
  readonly generate: () => string;
}

const random = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

let loading: Promise<PassphraseTools> | null = null;

/** The tools, loaded once; a failed load is retried on the next call. */
export function loadPassphraseTools(): Promise<PassphraseTools> {
  loading ??= Promise.all([import('../../adapters/passphrase-estimator'), import('../../core/passphrase-words')]).then(
    ([estimator, words]) => ({ strengthOf: estimator.passphraseStrength, generate: () => words.generatePassphrase(random) }),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}
