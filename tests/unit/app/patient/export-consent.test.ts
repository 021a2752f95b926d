/**
 * The patient's export carries their consents (issue 15): a grant made in
 * the app and confirmed in a block is in the Bundle as an R4 Consent with
 * ABDM's purpose code and the hospital as recipient; a revoked one is
 * inactive; importing the Bundle skips them with CONSENT.
 */
import { describe, expect, it } from 'vitest';
import { grantConsent, revokeConsent } from '../../../../src/lib/app/patient/consent';
import { exportFhir } from '../../../../src/lib/app/patient/export';
import { readTimeline } from '../../../../src/lib/app/patient/timeline';
import { fromFhirBundle } from '../../../../src/lib/core/fhir';
import { Category, Purpose } from '../../../../src/lib/core/payload-fields';
import { DAY, TODAY, world } from './patient-world';

type Json = Record<string, unknown>;

describe('exportFhir with consents', () => {
  it('writes one Consent per grant, from the ledger, and the import leaves them out', async () => {
    const w = await world('export-consent');
    expect(
      await grantConsent(w.ctx, { hospital: w.bId, scope: 1 << Category.Imaging, purpose: Purpose.Emergency, expiry: w.node.now() + 30 * DAY }),
    ).toMatchObject({
      ok: true,
    });
    w.node.mine();
    const granted = [...w.node.ledger()!.grants.values()].find((g) => g.patient === w.patientId)!;
    expect(await revokeConsent(w.ctx, granted.id)).toMatchObject({ ok: true });
    w.node.mine();
    expect(
      await grantConsent(w.ctx, { hospital: w.aId, scope: 1 << Category.LabReport, purpose: Purpose.Research, expiry: w.node.now() + 30 * DAY }),
    ).toMatchObject({
      ok: true,
    });
    w.node.mine();
    const timeline = await readTimeline(w.node, w.patientId, w.ctx.me.box);
    const { bundle } = await exportFhir(w.node, w.patientId, w.ctx.me.box, timeline, '2026-01-02T00:00:00Z');
    const consents = (bundle.entry as { resource: Json }[]).map((e) => e.resource).filter((r) => r.resourceType === 'Consent');
    const summary = consents.map((c) => {
      const p = c.provision as { purpose: { code: string }[]; class: { code: string }[]; actor: { reference: { display: string } }[] };
      return [c.status, p.purpose[0]!.code, p.class.map((x) => x.code), p.actor[0]!.reference.display];
    });
    expect(summary).toEqual([
      ['inactive', 'BTG', ['DiagnosticReport'], 'Hill Clinic'],
      ['active', 'DSRCH', ['DiagnosticReport'], w.node.ledger()!.hospitals.get(w.aId)!.name],
    ]);
    const back = fromFhirBundle(JSON.parse(JSON.stringify(bundle)), TODAY);
    expect(back.ok && back.skipped.map((s) => s.code)).toEqual(['CONSENT', 'CONSENT']);
  });
});
