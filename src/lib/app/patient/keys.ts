/**
 * The signed-in patient's keys as the actions use them (SPEC §2): a
 * {@link Signer} for transactions and a {@link RecordReader} for opening
 * records. In the browser both secrets stay non-extractable WebCrypto keys
 * where the browser supports it; the X25519 shared secret is then computed
 * by WebCrypto and only the wrap's last step runs here. Tests use raw bytes.
 */
import { signWebCrypto } from '../../adapters/webcrypto-ed25519';
import { toHex } from '../../core/bytes';
import { unwrapWithShared } from '../../core/envelope';
import { type RecordReader, secretReader } from '../../core/record-crypto';
import type { RandomBytes } from '../../core/record-crypto';
import type { NodeAccess } from '../node-access';
import { type Signer, rawSigner } from '../clinician/sign';

export interface PatientKeys {
  /** Hex patient id (the hash of the first signing key). */
  readonly patientId: string;
  readonly signer: Signer;
  readonly box: RecordReader;
}

/** What every patient action needs: the node, randomness and the patient's keys. */
export interface PatientContext {
  readonly node: NodeAccess;
  readonly random: RandomBytes;
  readonly me: PatientKeys;
}

/** Keys over raw secrets (tests). */
export function rawPatientKeys(patientId: string, signSecret: Uint8Array, signPublic: Uint8Array, boxSecret: Uint8Array): PatientKeys {
  return { patientId, signer: rawSigner(signSecret, signPublic), box: secretReader(boxSecret) };
}

/** A reader over a non-extractable WebCrypto X25519 key. */
export function webCryptoReader(key: CryptoKey, publicKey: Uint8Array): RecordReader {
  return {
    publicKey,
    async unwrap(wrapped, context) {
      try {
        const eph = await crypto.subtle.importKey('raw', wrapped.slice(0, 32), { name: 'X25519' }, false, []);
        const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: eph }, key, 256));
        const out = unwrapWithShared(wrapped, shared, publicKey, context);
        shared.fill(0);
        return out;
      } catch {
        return null;
      }
    },
  };
}

/** The session's keys as {@link PatientKeys}: WebCrypto keys, or the raw box secret where X25519 is not in WebCrypto. */
export function sessionKeys(s: {
  patientIdHex: string;
  signKey: CryptoKey;
  signPublic: Uint8Array;
  boxKey: CryptoKey | null;
  boxSecret: Uint8Array | null;
  boxPublic: Uint8Array;
}): PatientKeys {
  const box = s.boxKey ? webCryptoReader(s.boxKey, s.boxPublic) : secretReader(s.boxSecret ?? new Uint8Array(32));
  return { patientId: s.patientIdHex, signer: { publicKey: s.signPublic, sign: (m) => signWebCrypto(s.signKey, m) }, box };
}

/** Hex of an X25519 public key (readers on the ledger are hex). */
export const readerHex = (r: RecordReader): string => toHex(r.publicKey);
