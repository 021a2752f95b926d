/**
 * Recovery through people in the demo chains (issue 15, core/demo.ts): a
 * patient sets it up with two other patients and a hospital (stand-in
 * sealed shares: no demo holder ever opens one), someone asks with new
 * keys, holders release, and once the threshold is released the patient's
 * key signs the rotation to the asker's keys, as the recovering device
 * does with the recovered seed. Deterministic: all from the demo's generator.
 */
import { hexToBytes, toHex } from './bytes';
import { HolderRole } from './kinds/set-recovery';
import type { Ledger } from './ledger';
import { rotationMessage } from './ledger-rules';
import type { Payload } from './payloads';
import type { Prng } from './prng';
import { liveRecovery } from './recovery';
import { sign as signMessage } from './signature';
import { type Tx, TxKind, txId } from './tx';

type BoxKey = { readonly secret: Uint8Array; readonly pub: Uint8Array };
type Key = BoxKey & { readonly hex: string };
type DemoPatient = { key: Key; box: BoxKey; readonly id: Uint8Array };

/** What the demo lends: its ledger and generator, its draft signer, fresh keys, and its "once accepted" hooks. */
export interface DemoKit {
  readonly ledger: Ledger;
  readonly prng: Prng;
  readonly network: () => Uint8Array;
  readonly sign: (who: Key, p: Payload, time: number) => Tx;
  readonly signer: () => Key;
  readonly box: () => BoxKey;
  readonly afterAccept: Map<Tx, () => void>;
}

/** The recovery step for patient `p` (with a hospital `authority` at hand), or null when there is none to take. */
export function demoRecovery(
  kit: DemoKit,
  askers: Map<string, { sign: Key; box: BoxKey }>,
  patients: readonly DemoPatient[],
  chosen: DemoPatient,
  authority: Key,
  time: number,
): Tx | null {
  const { ledger, prng } = kit;
  // A recovery under way goes on first, then one set up is asked for, so a short demo chain shows one from setting up to the rotation.
  const live = (x: DemoPatient) => liveRecovery(ledger, toHex(x.id)) !== null;
  const asked = (x: DemoPatient) => [...askers.keys()].some((id) => ledger.recoveryAsks.get(id)?.patient === toHex(x.id));
  const p = patients.find((x) => live(x) && asked(x)) ?? patients.find(live) ?? chosen;
  const pid = toHex(p.id);
  const setting = liveRecovery(ledger, pid);
  if (!setting) {
    const friends = patients.filter((x) => x !== p && ledger.patients.has(toHex(x.id))).slice(0, 2);
    if (friends.length < 2 || !ledger.hospitals.get(authority.hex)?.member) return null;
    const holders = [...friends.map((f) => ({ role: HolderRole.Patient, holder: f.id })), { role: HolderRole.Hospital, holder: authority.pub }];
    const shares = holders.map((h) => ({ ...h, sealed: prng.bytes(153) })).sort((a, b) => (toHex(a.holder) < toHex(b.holder) ? -1 : 1));
    return kit.sign(p.key, { kind: TxKind.SetRecovery, threshold: 2, paper: prng.next() < 0.5 ? 1 : 0, shares }, time);
  }
  const open = (ledger.byPatient.get(pid) ?? []).map((id) => ledger.recoveryAsks.get(id)).find((a) => a?.setting === setting.id && a.answerBy > time);
  if (!open) {
    const asker = { sign: kit.signer(), box: kit.box() };
    const t = kit.sign(asker.sign, { kind: TxKind.AskRecovery, patientId: p.id, box: asker.box.pub, answerBy: time + 7 * 86_400 }, time);
    askers.set(toHex(txId(t)), asker);
    return t;
  }
  const asker = askers.get(open.id);
  if (asker && open.releases.length >= setting.threshold) {
    // Enough shares: the recovered key signs the rotation to the asker's keys.
    const proof = signMessage(rotationMessage(kit.network(), p.id, asker.sign.pub, asker.box.pub), asker.sign.secret);
    const t = kit.sign(p.key, { kind: TxKind.RotatePatientKeys, patientId: p.id, newSign: asker.sign.pub, newBox: asker.box.pub, proof }, time);
    kit.afterAccept.set(t, () => Object.assign(p, { key: asker.sign, box: asker.box }));
    return t;
  }
  // The next holder at hand releases: a holder patient, or the hospital whose authority this step has.
  const keyOf = (h: { role: string; id: string }) =>
    h.role === 'hospital' ? (h.id === authority.hex ? authority : null) : (patients.find((x) => toHex(x.id) === h.id)?.key ?? null);
  const key = setting.holders
    .filter((h) => !open.releases.some((r) => r.holder === h.id))
    .map(keyOf)
    .find((k) => k !== null);
  return key ? kit.sign(key, { kind: TxKind.ReleaseRecoveryShare, patientId: p.id, ask: hexToBytes(open.id), sealed: prng.bytes(153) }, time) : null;
}
