/**
 * The inboxes as read from this device's node (issue 15): the notices of a
 * patient or a hospital at the node's time, or none while the node has no
 * chain yet. The screens call these on every node change.
 */
import { TxKind } from '../../core/tx';
import type { NodeAccess } from '../node-access';
import { type HospitalRole, hospitalNotices } from './hospital-notices';
import type { Notice } from './notice';
import { patientNotices } from './patient-notices';

/** Patient `me`'s notices now. */
export function patientNoticesOf(node: NodeAccess, me: string): Notice[] {
  const chain = node.chain();
  const ledger = node.ledger();
  return chain && ledger ? patientNotices(ledger, chain.ofKind(TxKind.ShareKeys), me, node.now()) : [];
}

/** Hospital `hospital`'s notices now, for its authority or its staff. */
export function hospitalNoticesOf(node: NodeAccess, hospital: string, role: HospitalRole): Notice[] {
  const ledger = node.ledger();
  return ledger ? hospitalNotices(ledger, hospital, role, node.now()) : [];
}
