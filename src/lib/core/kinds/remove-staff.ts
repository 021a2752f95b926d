/**
 * RemoveStaff (SPEC §2): a hospital's authority removes a staff member and
 * rotates its data key, wrapped to exactly the remaining staff, so the one
 * who left cannot read what is written next.
 */
import { toHex } from '../bytes';
import { WRAPPED_KEY_BYTES } from '../envelope';
import { MAX_STAFF_WRAPS } from '../payload-fields';
import { TxKind } from '../tx';
import { KEY, exampleBytes, writeCount } from './codec';
import { fail, requireBoxKey, sortedUnique } from './rule-kit';
import type { KindSpec } from './spec';

/** What a RemoveStaff transaction carries; the field order is its encoding. */
export type RemoveStaffPayload = {
  kind: typeof TxKind.RemoveStaff;
  staffSign: Uint8Array;
  newDataKey: Uint8Array;
  wraps: { staffSign: Uint8Array; wrap: Uint8Array }[];
};

/** RemoveStaff's entry in the registry (kinds/index.ts). */
export const removeStaff: KindSpec<typeof TxKind.RemoveStaff, RemoveStaffPayload> = {
  kind: TxKind.RemoveStaff,
  write: (w, p) => {
    w.fixed(p.staffSign, KEY).fixed(p.newDataKey, KEY);
    writeCount(w, p.wraps.length, MAX_STAFF_WRAPS, 'staff wraps');
    for (const x of p.wraps) w.fixed(x.staffSign, KEY).fixed(x.wrap, WRAPPED_KEY_BYTES);
  },
  read: (r) => {
    const staffSign = r.fixed(KEY);
    const newDataKey = r.fixed(KEY);
    const n = r.count(MAX_STAFF_WRAPS, 'staff wraps');
    const wraps = Array.from({ length: n }, () => ({ staffSign: r.fixed(KEY), wrap: r.fixed(WRAPPED_KEY_BYTES) }));
    return { kind: TxKind.RemoveStaff, staffSign, newDataKey, wraps };
  },
  apply: (ledger, p, t) => {
    const h = ledger.hospitals.get(t.author);
    // Only an admitted hospital's authority removes staff.
    if (!h?.member) fail('NOT_AUTHORISED', 'only a hospital authority removes staff');
    const id = toHex(p.staffSign);
    const s = ledger.staff.get(id);
    // The staff member must be active at this hospital.
    if (!s?.active || s.hospital !== t.author) fail('UNKNOWN_STAFF', 'not active staff of this hospital');
    requireBoxKey(p.newDataKey);
    const remaining = h.staff.filter((k) => k !== id).sort();
    const wrapped = sortedUnique(p.wraps.map((w) => w.staffSign));
    // The new data key must reach exactly the remaining staff, and be new.
    if (!wrapped || wrapped.join() !== remaining.join() || toHex(p.newDataKey) === h.dataKey)
      fail('BAD_STAFF_WRAPS', 'new data key not wrapped to exactly the remaining staff');
    ledger.staff.set(id, { ...s, active: false });
    ledger.hospitals.set(t.author, { ...h, staff: remaining, dataKey: toHex(p.newDataKey), dataEpoch: h.dataEpoch + 1 });
  },
  codes: ['NOT_AUTHORISED', 'UNKNOWN_STAFF', 'BAD_KEY', 'BAD_STAFF_WRAPS'],
  signer: 'authority',
  proofs: null,
  subjects: null,
  blobs: null,
  example: {
    kind: TxKind.RemoveStaff,
    staffSign: exampleBytes(8),
    newDataKey: exampleBytes(9),
    wraps: [
      { staffSign: exampleBytes(10), wrap: exampleBytes(11, WRAPPED_KEY_BYTES) },
      { staffSign: exampleBytes(12), wrap: exampleBytes(13, WRAPPED_KEY_BYTES) },
    ],
  },
};
