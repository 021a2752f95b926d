/**
 * Builders for the recovery-through-people kinds (issue 15) on a
 * {@link World}: stand-in sealed shares, as the emergency builders use; the
 * real splitting, sealing and combining are app/recovery/shares.ts's,
 * tested with real keys in tests/unit/app/recovery/shares.test.ts.
 */
import { hexToBytes } from '../../../src/lib/core/bytes';
import { encodePayload } from '../../../src/lib/core/payloads';
import { HolderRole } from '../../../src/lib/core/kinds/set-recovery';
import { RECOVERY_ANSWER_SECONDS } from '../../../src/lib/core/recovery';
import { TxKind } from '../../../src/lib/core/tx';
import { type BoxKey, type Built, Hospital, type Patient, type SignKey, type World } from './ledger-world';

/** A holder as the tests name them. */
export type Holder = Patient | Hospital;

type As = { readonly as?: SignKey };

/** The patient sets recovery up with `holders` (sorted here unless `unsorted`), or turns it off with none and threshold 0. */
export function setRecovery(
  w: World,
  p: Patient,
  holders: readonly Holder[],
  opts: As & { threshold?: number; paper?: number; unsorted?: boolean; emptyShare?: boolean; role?: (h: Holder) => HolderRole } = {},
): Built {
  const role = opts.role ?? ((h: Holder) => (h instanceof Hospital ? HolderRole.Hospital : HolderRole.Patient));
  const shares = holders.map((h) => ({ role: role(h), holder: h.idBytes, sealed: opts.emptyShare ? new Uint8Array(0) : w.random(153) }));
  if (!opts.unsorted) shares.sort((a, b) => Buffer.compare(a.holder, b.holder));
  const payload = { kind: TxKind.SetRecovery, threshold: opts.threshold ?? (holders.length ? 2 : 0), paper: opts.paper ?? 0, shares } as const;
  return w.raw(TxKind.SetRecovery, encodePayload(payload), opts.as ?? p.sign);
}

/** Someone who forgot the passphrase asks, signed by their new key `asker`. */
export function askRecovery(w: World, p: Patient, asker: SignKey, opts: As & { box?: BoxKey; answerIn?: number } = {}): Built {
  const box = opts.box ?? w.boxKey();
  const answerBy = w.nextTime + (opts.answerIn ?? RECOVERY_ANSWER_SECONDS);
  return w.raw(TxKind.AskRecovery, encodePayload({ kind: TxKind.AskRecovery, patientId: p.idBytes, box: box.pub, answerBy }), opts.as ?? asker);
}

/** A holder releases their share to an ask (stand-in sealed bytes unless `sealed`). */
export function releaseRecovery(w: World, holder: Holder, p: Patient, ask: string, opts: As & { sealed?: Uint8Array } = {}): Built {
  const payload = { kind: TxKind.ReleaseRecoveryShare, patientId: p.idBytes, ask: hexToBytes(ask), sealed: opts.sealed ?? w.random(153) } as const;
  return w.raw(TxKind.ReleaseRecoveryShare, encodePayload(payload), opts.as ?? holder.sign);
}
