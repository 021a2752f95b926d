/**
 * A holder hospital's releases of emergency-key shares (SPEC §4, issue 15),
 * run while its authority is signed in on a device: a release is a
 * transaction the authority signs (ReleaseShare's signer), and opening the
 * hospital's share needs its data secrets, which only the authority's login
 * derives (data-key.ts). On every change of the chain it releases what
 * release-plan.ts says is due, each access once.
 */
import type { NodeAccess } from '../node-access';
import { type ActionResult, type ClinicianContext, type Signer, refusal, submitPayload } from '../clinician/sign';
import { authorityDataSecrets } from '../clinician/staff';
import { releaseFor } from './key-shares';
import { releasesDue } from './release-plan';

/**
 * Releases this hospital's share for every access due at the node's final
 * height, signed by `authority`; access ids submitted are added to `sent`
 * (a failed submission is tried again on the next change). One result per
 * due access: NOT_AUTHORISED when the data secrets do not open its share.
 */
export async function releaseDueShares(
  ctx: ClinicianContext,
  authority: Signer,
  hospital: string,
  dataSecrets: () => Promise<readonly Uint8Array[]>,
  sent: Set<string>,
): Promise<ActionResult[]> {
  const ledger = ctx.node.ledger();
  if (!ledger) return [];
  const due = releasesDue(ledger, hospital, ctx.node.status().finalHeight, sent);
  if (due.length === 0) return [];
  const secrets = await dataSecrets();
  const out: ActionResult[] = [];
  for (const { access, setting } of due) {
    const payload = releaseFor(access, setting, hospital, secrets, ctx.random);
    if (!payload) {
      // This hospital's data secrets do not open its share (it would never open): not tried again.
      sent.add(access.id);
      out.push(refusal('NOT_AUTHORISED'));
      continue;
    }
    const r = await submitPayload(ctx, authority, payload);
    if (r.ok) sent.add(access.id);
    out.push(r);
  }
  return out;
}

/**
 * Keeps releasing while the authority of `hospital` is signed in: runs on
 * every node change (one run at a time; a change during a run runs once
 * more after it). The data secrets of epochs 0..`epoch` are derived on the
 * first release due and wiped when the returned stop function is called.
 */
export function releaseWhileSignedIn(node: NodeAccess, authority: Signer, hospital: string, epoch: number, random: (n: number) => Uint8Array): () => void {
  const sent = new Set<string>();
  let secrets: Promise<Uint8Array[]> | null = null;
  let running = false;
  let again = false;
  let stopped = false;
  const ctx: ClinicianContext = { node, random };
  const derive = () => (secrets ??= authorityDataSecrets(authority, epoch));
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        if (!stopped) await releaseDueShares(ctx, authority, hospital, derive, sent);
      } while (again && !stopped);
    } finally {
      running = false;
    }
  };
  // A run that throws (the signer or the node failed) sent nothing for the accesses left: the next change tries them again.
  const kick = () => void run().catch(() => undefined);
  const unsubscribe = node.onChange(kick);
  kick();
  return () => {
    stopped = true;
    unsubscribe();
    void secrets?.then((s) => s.forEach((k) => k.fill(0)));
  };
}
