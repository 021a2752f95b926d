/**
 * CertifyStaff (SPEC §2): a hospital's authority certifies a staff member,
 * giving them the hospital's data key (wrapped to their box key). The staff
 * key signs its agreement (a proof inside the payload).
 */
import { toHex } from '../bytes';
import { WRAPPED_KEY_BYTES } from '../envelope';
import { MAX_NAME_BYTES, StaffRole } from '../payload-fields';
import type { SignatureCheck } from '../signature-check';
import { verifies } from '../signature-check';
import { type Tx, TxKind } from '../tx';
import { KEY, SIG, exampleBytes, readEnum } from './codec';
import { claimKey, fail, requireBoxKey, staffMessage } from './rule-kit';
import type { KindSpec } from './spec';

/** What a CertifyStaff transaction carries; the field order is its encoding. */
export type CertifyStaffPayload = {
  kind: typeof TxKind.CertifyStaff;
  staffSign: Uint8Array;
  staffBox: Uint8Array;
  role: StaffRole;
  name: string;
  dataKeyWrap: Uint8Array;
  /** The staff key's signature of (network, hospital, staffSign, staffBox): proof the key is theirs and agrees, on this network only. */
  staffProof: Uint8Array;
};

/** The staff key's agreement, as a signature to check. */
function staffProof(p: CertifyStaffPayload, tx: Tx, network: Uint8Array): SignatureCheck {
  return { signature: p.staffProof, message: staffMessage(network, tx.author, p.staffSign, p.staffBox), publicKey: p.staffSign };
}

/** CertifyStaff's entry in the registry (kinds/index.ts). */
export const certifyStaff: KindSpec<typeof TxKind.CertifyStaff, CertifyStaffPayload> = {
  kind: TxKind.CertifyStaff,
  write: (w, p) => {
    w.fixed(p.staffSign, KEY).fixed(p.staffBox, KEY).u8(p.role).string(p.name, MAX_NAME_BYTES).fixed(p.dataKeyWrap, WRAPPED_KEY_BYTES).fixed(p.staffProof, SIG);
  },
  read: (r) => ({
    kind: TxKind.CertifyStaff,
    staffSign: r.fixed(KEY),
    staffBox: r.fixed(KEY),
    role: readEnum(r, StaffRole, 'staff role'),
    name: r.string(MAX_NAME_BYTES, 'staff name'),
    dataKeyWrap: r.fixed(WRAPPED_KEY_BYTES),
    staffProof: r.fixed(SIG),
  }),
  apply: (ledger, p, t) => {
    const h = ledger.hospitals.get(t.author);
    // Only an admitted hospital's authority certifies staff.
    if (!h?.member) fail('NOT_AUTHORISED', 'only a hospital authority certifies staff');
    requireBoxKey(p.staffBox);
    // The staff key itself accepts the certification (no hospital can claim someone else's key).
    if (!verifies(t.verifier, staffProof(p, t.tx, t.network))) fail('BAD_PROOF', 'staff key did not sign its certification');
    const id = toHex(p.staffSign);
    claimKey(ledger, id, { role: 'staff' });
    ledger.staff.set(id, { id, hospital: t.author, boxKey: toHex(p.staffBox), role: p.role, name: p.name, active: true });
    ledger.hospitals.set(t.author, { ...h, staff: [...h.staff, id] });
  },
  codes: ['NOT_AUTHORISED', 'BAD_KEY', 'BAD_PROOF', 'KEY_IN_USE'],
  signer: 'authority',
  proofs: (p, tx, network) => [staffProof(p, tx, network)],
  subjects: null,
  blobs: null,
  example: {
    kind: TxKind.CertifyStaff,
    staffSign: exampleBytes(4),
    staffBox: exampleBytes(5),
    role: StaffRole.Nurse,
    name: 'R. Example',
    dataKeyWrap: exampleBytes(6, WRAPPED_KEY_BYTES),
    staffProof: exampleBytes(7, SIG),
  },
};
