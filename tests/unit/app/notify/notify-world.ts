/**
 * The inbox tests' world: the consent ledger's test world (tests/unit/core/
 * ledger-world.ts) with two hospitals — H1 with a clinician, H2 — and a
 * patient P and a second patient N (a would-be nominee), plus the ShareKeys
 * its blocks accepted, as the chain view's kind index would list them.
 */
import { type Built, World } from '../../core/ledger-world';
import { TxKind } from '../../../../src/lib/core/tx';
import type { ChainTx } from '../../../../src/lib/app/notify/patient-notices';

export function notifyWorld(seed: string) {
  const w = new World(`notify/${seed}`);
  const H1 = w.hospital('City Hospital');
  const H2 = w.hospital('Hill Clinic');
  w.ok(w.found(H1), w.found(H2));
  const doctor = w.staffOf(H1, 'Dr Rao');
  const P = w.patient('P');
  const N = w.patient('N');
  w.ok(w.certifyStaff(H1, doctor), w.registerPatient(P), w.registerPatient(N));
  const shares: ChainTx[] = [];
  /** A block that must be accepted, keeping its ShareKeys (with the block's height) for the inbox. */
  const ok = (...items: Built[]) => {
    w.ok(...items);
    for (const b of items) if (b.tx.kind === TxKind.ShareKeys) shares.push({ tx: b.tx, id: b.id, height: w.height });
  };
  return { w, H1, H2, doctor, P, N, shares, ok };
}
