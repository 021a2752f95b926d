/**
 * Passphrase change end to end (SPEC §2): new keys take over the patient id,
 * the patient re-wraps their records to the new key, the new passphrase on
 * another device finds the same patient and reads everything, and the old
 * key can no longer act.
 */
import { describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { MemoryBlobStore } from '../../../src/lib/core/blobs';
import { hexToBytes, toHex } from '../../../src/lib/core/bytes';
import { ChainState } from '../../../src/lib/core/chain';
import { DEMO_START_TIME } from '../../../src/lib/core/demo';
import { patientIdOf } from '../../../src/lib/core/ids';
import { deriveKeys, deriveMasterSeed, type IdentityKeys } from '../../../src/lib/core/keys';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { Category, encodePayload, QuorumRule } from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { openRecordAs, sealNewRecord, shareRecordKeys, type RecordOnChain } from '../../../src/lib/core/record-crypto';
import { draftKeyRotation } from '../../../src/lib/core/rotation';
import { publicKeyOf } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from '../../../src/lib/core/template';
import { GENESIS_SIGNING_NETWORK, TxKind, txId, type Tx } from '../../../src/lib/core/tx';
import { verhoeffDigit } from '../../../src/lib/core/verhoeff';
import { ledgerRules } from '../../../src/lib/core/rules';

const T0 = DEMO_START_TIME;
const NOW = T0 + 100_000;
const KDF = { m: 64, t: 1, p: 1 };
const AADHAAR = '73920581647'.concat(String(verhoeffDigit('73920581647')));
const prng = new Prng('rotation');
const random = (n: number) => prng.bytes(n);
const keysFor = (pass: string): IdentityKeys => deriveKeys(deriveMasterSeed(TEST_PARAMS.id, AADHAAR, pass, KDF));

describe('passphrase change', () => {
  it('rotates keys, re-wraps records, and the new passphrase works on another device', async () => {
    const hs = random(32);
    const hPub = publicKeyOf(hs);
    const found = signTx(
      GENESIS_SIGNING_NETWORK,
      {
        kind: TxKind.FoundNetwork,
        nonce: 1,
        time: T0,
        payload: encodePayload({
          kind: TxKind.FoundNetwork,
          networkName: 'n',
          hospitalName: 'H',
          dataKey: x25519.getPublicKey(random(32)),
          quorum: QuorumRule.TwoThirds,
        }),
      },
      hs,
      hPub,
    );
    const chain = new ChainState(TEST_PARAMS, mineBlock(genesisTemplate(TEST_PARAMS, [found], T0, hPub)), NOW, { rules: ledgerRules });
    const net = chain.genesis.hash;
    let time = T0;
    const block = (txs: Tx[]) => {
      time += 5;
      const r = chain.addBlock(mineBlock(blockTemplate(chain, chain.tip, txs, time, hPub)), NOW);
      return r.status === 'invalid' ? r.error.code : r.status;
    };
    const old = keysFor('first passphrase, long enough');
    const pid = patientIdOf(old.signPublic);
    expect(
      block([
        signTx(
          net,
          { kind: TxKind.RegisterPatient, nonce: 2, time, payload: encodePayload({ kind: TxKind.RegisterPatient, boxKey: old.boxPublic }) },
          old.signSecret,
        ),
      ]),
    ).toBe('accepted');

    const blobs = new MemoryBlobStore();
    const sealed = sealNewRecord(
      {
        patientId: pid,
        hospital: new Uint8Array(32),
        author: old.signPublic,
        category: Category.Allergy,
        body: { title: 'Penicillin allergy', date: '2025-12-01', authorName: '', fields: [], text: 'Rash.', attachments: [] },
        attachments: [],
        readers: [old.boxPublic],
        time,
      },
      random,
    );
    for (const b of sealed.blobs) await blobs.put(b.ref, b.bytes);
    const recordTx = signTx(net, sealed.draft, old.signSecret);
    expect(block([recordTx])).toBe('accepted');
    const record: RecordOnChain = {
      payload: sealed.payload,
      author: old.signPublic,
      nonce: sealed.draft.nonce,
      keySets: [{ readers: [old.boxPublic], keys: sealed.payload.keys }],
    };

    // The passphrase changes: new keys take over the patient id.
    const next = keysFor('second passphrase, also long');
    expect(block([signTx(net, draftKeyRotation(net, pid, next, time, 3), old.signSecret)])).toBe('accepted');
    expect(chain.ledger!.patients.get(toHex(pid))?.signKey).toBe(toHex(next.signPublic));
    // A rotation whose proof is not by the new key is refused.
    const third = keysFor('a third passphrase for this test');
    const forged = draftKeyRotation(net, pid, { ...third, signSecret: old.signSecret }, time, 4);
    expect(block([signTx(net, forged, next.signSecret)])).toBe('BAD_PROOF');

    // Re-wrap to the new key (unwrapping with the old secret), signed by the new key.
    const share = await shareRecordKeys(record, hexToBytes(toHex(txId(recordTx))), old.boxSecret, [next.boxPublic], (r) => blobs.get(r), random);
    await blobs.put(share!.blob.ref, share!.blob.bytes);
    expect(block([signTx(net, { kind: TxKind.ShareKeys, nonce: 5, time, payload: encodePayload(share!.payload) }, next.signSecret)])).toBe('accepted');

    // Another device: the same Aadhaar number and the new passphrase give the same keys, the same patient, every record.
    const device2 = keysFor('second passphrase, also long');
    const role = chain.ledger!.keys.get(toHex(device2.signPublic));
    expect(role).toEqual({ role: 'patient', patient: toHex(pid) });
    const withShare = { ...record, keySets: [...record.keySets, { readers: share!.payload.readers, keys: share!.payload.keys }] };
    expect((await openRecordAs(withShare, device2.boxSecret, (r) => blobs.get(r)))?.body.title).toBe('Penicillin allergy');

    // The old key can no longer act for the patient.
    const late = sealNewRecord(
      {
        ...{
          patientId: pid,
          hospital: new Uint8Array(32),
          author: old.signPublic,
          category: Category.Other,
          body: { title: 'x', date: '2025-12-02', authorName: '', fields: [], text: '', attachments: [] },
          attachments: [],
          readers: [next.boxPublic],
        },
        time,
      },
      random,
    );
    expect(block([signTx(net, late.draft, old.signSecret)])).toBe('NOT_AUTHORISED');
  });
});
