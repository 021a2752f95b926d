/**
 * Ed25519 through WebCrypto (SPEC §9, DEVELOPERS.md: Chromium's verifies
 * about 20 times faster than @noble/curves). Same answers as the core's
 * {@link nobleVerifier}: the same precheck runs first, and the remaining
 * cases are plain RFC 8032 verification in both engines (tested against each
 * other). Signing keys are imported non-extractable, so page script can use
 * but never read them. Works wherever `crypto.subtle` has Ed25519: browsers
 * in a secure context, Node 20+.
 */
import type { Block } from '../core/block';
import { toHex } from '../core/bytes';
import { blockSignatureChecks } from '../core/net/block-signatures';
import { signaturePrecheck, type SignatureVerifier } from '../core/signature';
import { privateOkpJwk } from './okp-jwk';
import { type BatchVerifier, VerifyPool } from './verify-pool';

const ALG = { name: 'Ed25519' } as const;

function subtle(): SubtleCrypto | null {
  return (globalThis.crypto?.subtle as SubtleCrypto | undefined) ?? null;
}

let available: Promise<boolean> | null = null;

/** Whether this platform's WebCrypto has Ed25519 (checked once with a real key). */
export function webcryptoEd25519Available(): Promise<boolean> {
  available ??= (async () => {
    const s = subtle();
    if (!s) return false;
    try {
      const key = await s.importKey('raw', new Uint8Array(32).fill(0x11), ALG, false, ['verify']);
      await s.verify(ALG, key, new Uint8Array(64), new Uint8Array(0));
      return true;
    } catch {
      return false;
    }
  })();
  return available;
}

const keyCache = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 4096;

function verifyKey(publicKey: Uint8Array): Promise<CryptoKey> {
  const id = toHex(publicKey);
  let key = keyCache.get(id);
  if (!key) {
    if (keyCache.size >= MAX_CACHED_KEYS) keyCache.delete(keyCache.keys().next().value!);
    key = subtle()!.importKey('raw', publicKey.slice(), ALG, false, ['verify']);
    keyCache.set(id, key);
  }
  return key;
}

/** Verifies one signature with WebCrypto after the shared precheck; false on any error. */
export async function verifyWebCrypto(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  if (!signaturePrecheck(signature, publicKey)) return false;
  try {
    return await subtle()!.verify(ALG, await verifyKey(publicKey), signature.slice(), message.slice());
  } catch {
    return false;
  }
}

export interface SignatureItem {
  readonly signature: Uint8Array;
  readonly message: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Checks in this thread, all issued at once (Chromium verifies in the call itself; Node on its thread pool). */
export const inThreadBatchVerifier: BatchVerifier = (items) => Promise.all(items.map((i) => verifyWebCrypto(i.signature, i.message, i.publicKey)));

let pool: VerifyPool | null = null;

/**
 * The default engine for primed checks: in a browser page, a pool of
 * verifying Web Workers (one per core but one, so the page keeps a core for
 * the chain; verify-pool.ts), made on first use, for every batch (however
 * small: checked here, it would hold up the page just the same); elsewhere
 * (Node, a worker), this thread.
 */
export const defaultBatchVerifier: BatchVerifier = (items) => {
  if (typeof Worker !== 'function' || typeof window === 'undefined') return inThreadBatchVerifier(items);
  const size = Math.max(1, Math.min(4, (globalThis.navigator?.hardwareConcurrency || 2) - 1));
  pool ??= new VerifyPool(() => new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' }), size, inThreadBatchVerifier);
  return pool.verify(items);
};

const latin1 = (b: Uint8Array): string => String.fromCharCode.apply(null, b as unknown as number[]);

/** The map key: the signature and message as a byte string (cheaper than hex; the key is compared on lookup). */
const checkKey = (signature: Uint8Array, message: Uint8Array): string =>
  message.length <= 4096 ? latin1(signature) + latin1(message) : `${toHex(signature)}${toHex(message)}`;

interface Answer {
  readonly publicKey: Uint8Array;
  readonly ok: boolean;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/**
 * A synchronous verifier for the core backed by WebCrypto: `prime` checks a
 * batch asynchronously (on the verifying workers in a page, all in flight at
 * once elsewhere) and remembers the answers; `verify` answers from memory
 * (signature, message and key all the same as primed), falling back to the
 * given synchronous verifier (noble) for anything not primed. Either way the
 * answer is the same. A batch whose engine failed is remembered not at all.
 */
export function primedVerifier(fallback: SignatureVerifier, maxRemembered = 100_000, engine: BatchVerifier = defaultBatchVerifier) {
  const known = new Map<string, Answer>();
  return {
    /** Gets the engine ready (the page's verifying workers load their script) before the first batch needs it. */
    warm(): void {
      // Only a head start: an engine that cannot load fails the first real batch, which falls back to `fallback`.
      void engine([]).catch(() => {});
    },
    /** Checks `items` ahead (with `using`, another engine than the verifier's, e.g. this thread). */
    async prime(items: readonly SignatureItem[], using: BatchVerifier = engine): Promise<void> {
      let results: boolean[];
      try {
        results = await using(items);
      } catch {
        return;
      }
      items.forEach((item, n) => {
        if (known.size >= maxRemembered) known.delete(known.keys().next().value!);
        known.set(checkKey(item.signature, item.message), { publicKey: item.publicKey, ok: results[n]! });
      });
    },
    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
      const k = checkKey(signature, message);
      const hit = known.get(k);
      if (hit !== undefined && sameBytes(hit.publicKey, publicKey)) {
        known.delete(k);
        return hit.ok;
      }
      return fallback.verify(signature, message, publicKey);
    },
  } satisfies SignatureVerifier & { warm(): void; prime(items: readonly SignatureItem[], using?: BatchVerifier): Promise<void> };
}

/** A verifier that may check batches ahead of the core (a {@link primedVerifier}). */
export type PrimableVerifier = SignatureVerifier & { prime?(items: readonly SignatureItem[]): Promise<void>; warm?(): void };

/**
 * What the mesh calls to prepare blocks received from peers (issue 7): every
 * signature their validation checks (on the network of genesis hash
 * `genesis`), primed at once (all in flight), so the
 * chain's synchronous checks find the answers ready. Null for a verifier
 * that cannot be primed (blocks then go straight to the chain).
 */
export function blockPreparer(verifier: PrimableVerifier, genesis: Uint8Array): ((blocks: readonly Block[]) => Promise<void>) | null {
  const prime = verifier.prime?.bind(verifier);
  if (!prime) return null;
  // The node is about to sync: the verifying workers load while its channels open, not when the first blocks wait.
  verifier.warm?.();
  return (blocks) => prime(blocks.flatMap((b) => blockSignatureChecks(b, genesis)));
}

/**
 * Imports an Ed25519 secret seed as a non-extractable WebCrypto signing key
 * (through JWK, the one raw-seed route WebCrypto offers). The caller wipes
 * its copy of the seed afterwards.
 */
export async function importSigningKey(secret: Uint8Array, publicKey: Uint8Array): Promise<CryptoKey> {
  return subtle()!.importKey('jwk', privateOkpJwk('Ed25519', secret, publicKey), ALG, false, ['sign']);
}

/** Signs with a WebCrypto key (Ed25519 is deterministic: the same bytes as noble's sign). */
export async function signWebCrypto(key: CryptoKey, message: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle()!.sign(ALG, key, message.slice()));
}
