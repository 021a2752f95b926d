/**
 * SPEC §2: nothing derived from an Aadhaar number is ever stored, sent or put
 * on the chain. A run with identities derived from Aadhaar numbers — patients
 * registering, records sealed and stored, consent, an export, a FHIR bundle —
 * and then a scan of every byte produced: blocks, the chain file, every blob,
 * the CLI's JSON. No 12-digit Verhoeff-valid number may appear in them, and
 * the numbers used may not appear in any encoding (ASCII, spaced, BCD,
 * binary integer, UTF-16).
 */
import { describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { MemoryBlobStore } from '../../../src/lib/core/blobs';
import { encodeBlock } from '../../../src/lib/core/block';
import { bytesEqual, concatBytes, hexToBytes, toHex, utf8 } from '../../../src/lib/core/bytes';
import { ChainState } from '../../../src/lib/core/chain';
import { exportChain } from '../../../src/lib/core/chainfile';
import { DEMO_START_TIME } from '../../../src/lib/core/demo';
import { toFhirBundle } from '../../../src/lib/core/fhir';
import { longId, patientIdOf } from '../../../src/lib/core/ids';
import { deriveKeys, deriveMasterSeed } from '../../../src/lib/core/keys';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { AccessMode, Category, OPEN_END, dayOf, Purpose, SCOPE_ALL, encodePayload, type Payload, QuorumRule } from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { openRecordAs, sealNewRecord } from '../../../src/lib/core/record-crypto';
import { publicKeyOf } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from '../../../src/lib/core/template';
import { GENESIS_SIGNING_NETWORK, TxKind, type Tx } from '../../../src/lib/core/tx';
import { verhoeffDigit, verhoeffValid } from '../../../src/lib/core/verhoeff';
import { cli } from '../cli/run';
import { ledgerRules } from '../../../src/lib/core/rules';

const T0 = DEMO_START_TIME;
const NOW = T0 + 100_000;
const TINY_KDF = { m: 64, t: 1, p: 1 };
const prng = new Prng('privacy-scan');
const random = (n: number) => prng.bytes(n);

/** Valid Aadhaar numbers used in this run. */
const AADHAAR = ['23456789012', '98765432109', '51234098765'].map((body) => body + String(verhoeffDigit(body)));

/** Every 12-digit Verhoeff-valid number (first digit 2–9) in the text, spaced or dashed forms included. */
function aadhaarLike(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?=([2-9](?:[ -]?[0-9]){11}))/g)) {
    const digits = m[1]!.replace(/[ -]/g, '');
    if (verhoeffValid(digits)) found.push(digits);
  }
  return found;
}

const latin1 = (b: Uint8Array) => String.fromCharCode(...b);
const latin1Long = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
};

/** The encodings of a number we look for besides ASCII. */
function encodingsOf(digits: string): Uint8Array[] {
  const bcd = new Uint8Array(6);
  for (let i = 0; i < 12; i += 2) bcd[i / 2] = (Number(digits[i]) << 4) | Number(digits[i + 1]);
  let n = BigInt(digits);
  const int = new Uint8Array(5);
  for (let i = 4; i >= 0; i--) {
    int[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  const utf16 = new Uint8Array(24);
  [...digits].forEach((c, i) => (utf16[2 * i] = c.charCodeAt(0)));
  return [utf8(digits), bcd, int, utf16, utf8(toHex(utf8(digits)))];
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('no Aadhaar number, nor anything derived from it, leaves the device', () => {
  it('scans blocks, the chain file, every stored blob, a FHIR export and the CLI output of a full run', async () => {
    // Identities derived from Aadhaar numbers and passphrases.
    const patients = AADHAAR.map((a, i) => {
      const keys = deriveKeys(deriveMasterSeed(TEST_PARAMS.id, a, `correct horse battery staple ${i}`, TINY_KDF));
      return { keys, id: patientIdOf(keys.signPublic) };
    });
    const hSecret = random(32);
    const hospital = { secret: hSecret, pub: publicKeyOf(hSecret) };
    const hData = random(32);
    const hDataPub = x25519.getPublicKey(hData);
    let nonce = 1;
    let network = GENESIS_SIGNING_NETWORK;
    const tx = (secret: Uint8Array, pub: Uint8Array, p: Payload, time: number): Tx =>
      signTx(network, { kind: p.kind, nonce: nonce++, time, payload: encodePayload(p) }, secret, pub);

    const genesis = mineBlock(
      genesisTemplate(
        TEST_PARAMS,
        [
          tx(
            hospital.secret,
            hospital.pub,
            { kind: TxKind.FoundNetwork, networkName: 'scan', hospitalName: 'City Hospital', dataKey: hDataPub, quorum: QuorumRule.TwoThirds },
            T0,
          ),
        ],
        T0,
        hospital.pub,
      ),
    );
    const chain = new ChainState(TEST_PARAMS, genesis, NOW, { rules: ledgerRules });
    network = chain.genesis.hash;
    const blobs = new MemoryBlobStore();
    let time = T0;
    const block = (txs: Tx[]) => {
      time += 5;
      const r = chain.addBlock(mineBlock(blockTemplate(chain, chain.tip, txs, time, hospital.pub)), NOW);
      if (r.status !== 'accepted') throw new Error(r.status === 'invalid' ? r.error.message : r.status);
    };
    block(patients.map((p) => tx(p.keys.signSecret, p.keys.signPublic, { kind: TxKind.RegisterPatient, boxKey: p.keys.boxPublic }, time)));
    block(
      patients.map((p) =>
        tx(
          p.keys.signSecret,
          p.keys.signPublic,
          {
            kind: TxKind.GrantConsent,
            grantee: hospital.pub,
            scope: SCOPE_ALL,
            purpose: Purpose.Treatment,
            expiry: T0 + 86_400,
            from: 0,
            to: OPEN_END,
            eraseBy: T0 + 86_400,
            mode: AccessMode.Download,
            regarding: new Uint8Array(32),
          },
          time,
        ),
      ),
    );
    const sealedRecords: { sealed: ReturnType<typeof sealNewRecord>; patient: (typeof patients)[number]; author: Uint8Array }[] = [];
    const recordTxs: Tx[] = [];
    for (const p of patients) {
      const readers = chain.ledger!.requiredReaders(toHex(p.id), toHex(hospital.pub), Category.LabReport, dayOf(time), time + 5).map(hexToBytes);
      const sealed = sealNewRecord(
        {
          patientId: p.id,
          hospital: hospital.pub,
          author: hospital.pub,
          category: Category.LabReport,
          body: {
            title: 'Complete blood count',
            date: '2026-01-01',
            authorName: 'Dr. Rao',
            fields: [{ name: 'Hb', value: '13.1 g/dL' }],
            text: 'Within normal limits.',
            attachments: [{ name: 'cbc.pdf', mime: 'application/pdf', size: 64 }],
          },
          attachments: [random(64)],
          readers,
          time,
        },
        random,
      );
      for (const b of sealed.blobs) expect((await blobs.put(b.ref, b.bytes)).ok).toBe(true);
      sealedRecords.push({ sealed, patient: p, author: hospital.pub });
      recordTxs.push(signTx(network, sealed.draft, hospital.secret, hospital.pub));
    }
    block(recordTxs);
    expect(chain.ledger!.records.size).toBe(AADHAAR.length);

    // The patients can read their records (the run is real), then a FHIR export of one history.
    const first = sealedRecords[0]!;
    const opened = await openRecordAs(
      {
        payload: first.sealed.payload,
        author: first.author,
        nonce: first.sealed.draft.nonce,
        keySets: [{ readers: first.sealed.payload.readers, keys: first.sealed.payload.keys }],
      },
      first.patient.keys.boxSecret,
      (r) => blobs.get(r),
    );
    expect(opened?.body.title).toBe('Complete blood count');
    const fhir = utf8(
      JSON.stringify(
        toFhirBundle(
          longId(first.patient.id),
          [{ id: 'r1', category: Category.LabReport, body: opened!.body, attachments: opened!.attachments, source: 'City Hospital' }],
          '2026-01-02T00:00:00Z',
        ),
      ),
    );

    // The command line's identity output for the same numbers.
    const identities = await Promise.all(AADHAAR.map((a) => cli(['identity', '--aadhaar', a], undefined, 'correct horse battery staple\n')));
    const cliText = utf8(identities.map((r) => r.out.join('\n')).join('\n'));

    const outputs: [string, Uint8Array][] = [
      ['chain file', exportChain(chain)],
      ...chain.activeBlocks().map((n): [string, Uint8Array] => [`block ${n.height}`, encodeBlock(n.block)]),
      ...blobs.all().map((b, i): [string, Uint8Array] => [`blob ${i}`, b]),
      ['FHIR export', fhir],
      ['identity output', cliText],
    ];
    for (const [what, bytes] of outputs) {
      expect(aadhaarLike(latin1Long(bytes)), what).toEqual([]);
      for (const a of AADHAAR) for (const enc of encodingsOf(a)) expect(contains(bytes, enc), `${what} holds ${a} in some encoding`).toBe(false);
    }
    // The scanner itself finds a number when one is there.
    expect(aadhaarLike(latin1(concatBytes(utf8('id: '), utf8(AADHAAR[1]!))))).toEqual([AADHAAR[1]]);
    expect(aadhaarLike(`${AADHAAR[0]!.slice(0, 4)} ${AADHAAR[0]!.slice(4, 8)} ${AADHAAR[0]!.slice(8)}`)).toEqual([AADHAAR[0]]);
    expect(bytesEqual(encodingsOf(AADHAAR[0]!)[0]!, utf8(AADHAAR[0]!))).toBe(true);
  });
});
