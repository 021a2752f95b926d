/**
 * Keys wrapped for this device (issue 5, SPEC §2: secrets are never stored in
 * clear). Each profile makes one AES-256-GCM key with WebCrypto, marked
 * non-extractable, and keeps the CryptoKey object itself in the store: page
 * script can use it but never read it, and a copy of the database files
 * without the browser's own key storage is useless. Secrets (a node key, a
 * patient's unlocked keys for "remember this device") are sealed under it
 * with their id as associated data, so a wrapped value moved to another id
 * does not open. Randomness comes from the platform here, outside the core.
 */
import { utf8 } from '../../core/bytes';
import type { ChainStore } from './types';

const ALG = 'AES-GCM';
const IV_BYTES = 12;

/** The device key, made on first use (shared by every tab of the profile). */
export async function deviceKey(store: ChainStore): Promise<CryptoKey> {
  const have = await store.deviceKey();
  if (have) return have;
  const made = await crypto.subtle.generateKey({ name: ALG, length: 256 }, false, ['encrypt', 'decrypt']);
  if (await store.setDeviceKey(made)) return made;
  // Another tab made one first: use that one.
  return (await store.deviceKey())!;
}

/** Seals `secret` for this device and stores it under `id`. The caller wipes its copy. */
export async function wrapForDevice(store: ChainStore, id: string, secret: Uint8Array): Promise<void> {
  const key = await deviceKey(store);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: ALG, iv, additionalData: utf8(id).slice() }, key, secret.slice()));
  const wrapped = new Uint8Array(IV_BYTES + sealed.length);
  wrapped.set(iv);
  wrapped.set(sealed, IV_BYTES);
  await store.putWrappedKey(id, wrapped);
}

/** The secret stored under `id`, or null when there is none or it does not open (altered, or another device's). */
export async function unwrapForDevice(store: ChainStore, id: string): Promise<Uint8Array | null> {
  const wrapped = await store.wrappedKey(id);
  const key = await store.deviceKey();
  if (!wrapped || !key || wrapped.length <= IV_BYTES) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: ALG, iv: wrapped.slice(0, IV_BYTES), additionalData: utf8(id).slice() }, key, wrapped.slice(IV_BYTES));
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}
