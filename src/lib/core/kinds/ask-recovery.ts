/**
 * AskRecovery (SPEC §2, issue 15): someone who forgot their passphrase asks
 * the holders of their recovery shares to release them. It is signed by the
 * new signing key they derive from their Aadhaar number and a new
 * passphrase, so nothing need be kept on the device while holders take
 * days to answer: signing in again derives the same key and finds the ask.
 * It names the box key shares are released to and a time to answer by.
 * It claims no key (the rotation that ends the recovery does), but a key
 * that already acts for someone may not ask. It opens nothing by itself.
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { RECOVERY_ANSWER_SECONDS, liveRecovery } from '../recovery';
import { TxKind } from '../tx';
import { KEY, exampleBytes } from './codec';
import { fail, requireBoxKey, requirePatient } from './rule-kit';
import type { KindSpec } from './spec';

/** What an AskRecovery transaction carries; the field order is its encoding. */
export type AskRecoveryPayload = {
  kind: typeof TxKind.AskRecovery;
  patientId: Uint8Array;
  /** The asker's new X25519 key: holders seal their shares to it. */
  box: Uint8Array;
  /** Releases are refused from this time on. */
  answerBy: number;
};

/** AskRecovery's entry in the registry (kinds/index.ts). */
export const askRecovery: KindSpec<typeof TxKind.AskRecovery, AskRecoveryPayload> = {
  kind: TxKind.AskRecovery,
  write: (w, p) => {
    w.fixed(p.patientId, HASH_BYTES).fixed(p.box, KEY).u64(p.answerBy);
  },
  read: (r) => ({ kind: TxKind.AskRecovery, patientId: r.fixed(HASH_BYTES), box: r.fixed(KEY), answerBy: r.u64('answer-by') }),
  apply: (ledger, p, t) => {
    // The new key must be free: the rotation that ends the recovery claims it.
    if (ledger.keys.has(t.author)) fail('KEY_IN_USE', 'the asking key already holds a role');
    const patient = requirePatient(ledger, p.patientId);
    const setting = liveRecovery(ledger, patient);
    // Only a patient whose recovery through people is on, for their current keys.
    if (!setting) fail('NO_RECOVERY', 'no current recovery through people');
    requireBoxKey(p.box);
    // Holders answer within a bounded time, and not in the past.
    if (p.answerBy <= t.time || p.answerBy > t.time + RECOVERY_ANSWER_SECONDS) fail('BAD_EXPIRY', 'answer-by time in the past or too far ahead');
    ledger.recoveryAsks.set(t.txId, {
      id: t.txId,
      patient,
      asker: t.author,
      box: toHex(p.box),
      setting: setting.id,
      answerBy: p.answerBy,
      time: t.tx.time,
      releases: [],
    });
    ledger.index(patient, t.txId);
  },
  codes: ['KEY_IN_USE', 'UNKNOWN_PATIENT', 'NO_RECOVERY', 'BAD_KEY', 'BAD_EXPIRY'],
  signer: 'new-key',
  proofs: null,
  subjects: (p) => [toHex(p.patientId)],
  blobs: null,
  example: { kind: TxKind.AskRecovery, patientId: exampleBytes(74), box: exampleBytes(75), answerBy: 1_767_225_600 },
};
