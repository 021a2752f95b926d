/**
 * ApplyHospital (SPEC §5): a hospital asks to join, naming itself and its
 * data key; admitted once more than half of the hospitals approve it.
 */
import { toHex } from '../bytes';
import { MAX_NAME_BYTES } from '../payload-fields';
import { TxKind } from '../tx';
import { KEY, exampleBytes } from './codec';
import { claimKey, requireBoxKey } from './rule-kit';
import type { KindSpec } from './spec';

/** What an ApplyHospital transaction carries; the field order is its encoding. */
export type ApplyHospitalPayload = { kind: typeof TxKind.ApplyHospital; hospitalName: string; dataKey: Uint8Array };

/** ApplyHospital's entry in the registry (kinds/index.ts). */
export const applyHospital: KindSpec<typeof TxKind.ApplyHospital, ApplyHospitalPayload> = {
  kind: TxKind.ApplyHospital,
  write: (w, p) => {
    w.string(p.hospitalName, MAX_NAME_BYTES).fixed(p.dataKey, KEY);
  },
  read: (r) => ({ kind: TxKind.ApplyHospital, hospitalName: r.string(MAX_NAME_BYTES, 'hospital name'), dataKey: r.fixed(KEY) }),
  apply: (ledger, p, t) => {
    requireBoxKey(p.dataKey);
    claimKey(ledger, t.author, { role: 'hospital' });
    ledger.hospitals.set(t.author, { id: t.author, name: p.hospitalName, dataKey: toHex(p.dataKey), dataEpoch: 0, member: false, approvals: [], staff: [] });
  },
  codes: ['BAD_KEY', 'KEY_IN_USE'],
  signer: 'new-key',
  proofs: null,
  subjects: null,
  blobs: null,
  example: { kind: TxKind.ApplyHospital, hospitalName: 'Example Clinic', dataKey: exampleBytes(2) },
};
