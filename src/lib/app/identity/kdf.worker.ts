/**
 * The key-derivation worker (SPEC §2): argon2id over the passphrase salted
 * with the network id and the Aadhaar number, HKDF into Ed25519 and X25519
 * keys, the private halves imported as non-extractable WebCrypto keys, the
 * raw bytes wiped. Progress is posted while argon2id runs. Nothing is logged.
 */
import { verhoeffValid } from '../../core/verhoeff';
import { deriveKeys, deriveMasterSeed, wipe } from '../../core/keys';
import { importSigningKey } from '../../adapters/webcrypto-ed25519';
import { isDeriveRequest, type DeriveReply } from './kdf-messages';

const post = (reply: DeriveReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The X25519 secret as a non-extractable key, or null where WebCrypto has no X25519. */
async function importBoxKey(secret: Uint8Array, publicKey: Uint8Array): Promise<CryptoKey | null> {
  try {
    const jwk = { kty: 'OKP', crv: 'X25519', d: b64url(secret), x: b64url(publicKey) };
    return await crypto.subtle.importKey('jwk', jwk, { name: 'X25519' }, false, ['deriveBits']);
  } catch {
    return null;
  }
}

self.addEventListener('message', (event: MessageEvent<unknown>) => {
  void (async () => {
    const request = event.data;
    if (!isDeriveRequest(request) || !/^[2-9][0-9]{11}$/.test(request.aadhaarDigits) || !verhoeffValid(request.aadhaarDigits)) {
      post({ type: 'failed', code: 'BAD_INPUT' });
      return;
    }
    let seed: Uint8Array;
    try {
      let last = 0;
      seed = deriveMasterSeed(request.networkId, request.aadhaarDigits, request.passphrase, undefined, (fraction) => {
        if (fraction - last >= 0.02 || fraction === 1) {
          last = fraction;
          post({ type: 'progress', fraction });
        }
      });
    } catch {
      post({ type: 'failed', code: 'KDF_FAILED' });
      return;
    }
    const keys = deriveKeys(seed);
    const revealSeed = request.reveal === 'seed' ? seed.slice() : null;
    const revealSign = request.reveal === 'sign-secret' ? keys.signSecret.slice() : null;
    wipe(seed);
    let signKey: CryptoKey;
    try {
      signKey = await importSigningKey(keys.signSecret, keys.signPublic);
    } catch {
      wipe(keys.signSecret, keys.boxSecret);
      if (revealSeed) wipe(revealSeed);
      if (revealSign) wipe(revealSign);
      post({ type: 'failed', code: 'NO_WEBCRYPTO_ED25519' });
      return;
    }
    const boxKey = await importBoxKey(keys.boxSecret, keys.boxPublic);
    wipe(keys.signSecret);
    if (boxKey) wipe(keys.boxSecret);
    post(
      { type: 'done', signKey, signPublic: keys.signPublic, boxKey, boxSecret: boxKey ? null : keys.boxSecret, boxPublic: keys.boxPublic, signSecret: revealSign, seed: revealSeed },
      [],
    );
  })();
});
