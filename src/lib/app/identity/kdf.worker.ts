/**
 * The key-derivation worker (SPEC §2): argon2id over the passphrase salted
 * with the network id and the Aadhaar number, HKDF into Ed25519 and X25519
 * keys, the private halves imported as non-extractable WebCrypto keys, the
 * raw bytes wiped. Progress is posted while argon2id runs. Nothing is logged.
 */
import { verhoeffValid } from '../../core/verhoeff';
import { deriveKeys, deriveMasterSeed, wipe } from '../../core/keys';
import { type ImportedKeys, importIdentity } from './import-keys';
import { isDeriveRequest, type DeriveReply } from './kdf-messages';

const post = (reply: DeriveReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);

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
    let imported: ImportedKeys;
    try {
      imported = await importIdentity(keys);
    } catch {
      if (revealSeed) wipe(revealSeed);
      if (revealSign) wipe(revealSign);
      post({ type: 'failed', code: 'NO_WEBCRYPTO_ED25519' });
      return;
    }
    post({ type: 'done', ...imported, signSecret: revealSign, seed: revealSeed }, []);
  })();
});
