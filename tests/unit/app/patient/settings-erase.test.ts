/**
 * Erasing a record (SPEC §3) over the in-memory twin: the EraseRecord is
 * sent, this device's blobs of the record (body, attachment, every key blob)
 * are deleted at once, the ledger marks it erased once it is in a block, the
 * timeline lists it as erased with the date, and it is never shared again.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/lib/core/bytes';
import { Category, Purpose, SCOPE_ALL } from '../../../../src/lib/core/payloads';
import { grantConsent, shareDueKeys } from '../../../../src/lib/app/patient/consent';
import { readTimeline } from '../../../../src/lib/app/patient/timeline';
import { uploadRecord } from '../../../../src/lib/app/patient/upload';
import { erasedRecords, erasurePending, eraseRecord } from '../../../../src/lib/app/patient/settings/erase';
import { TODAY, note, settingsWorld } from './settings-world';

/** A PNG signature, then filler: attachments must be what they claim. */
const scan = {
  meta: { name: 'scan.png', mime: 'image/png', size: 64 },
  bytes: new Uint8Array(64).map((_, i) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][i] ?? 3),
};

describe('erasing a record', () => {
  it('deletes its blobs here, is marked erased on the ledger and shown as erased with its date', async () => {
    const w = await settingsWorld('erase');
    expect(await uploadRecord(w.ctx, Category.Imaging, note('Knee X-ray'), [scan], TODAY)).toMatchObject({ ok: true });
    expect(await uploadRecord(w.ctx, Category.Allergy, note('Latex'), [], TODAY)).toMatchObject({ ok: true });
    w.node.mine();
    expect(await grantConsent(w.ctx, { hospital: w.hospitalId, scope: SCOPE_ALL, purpose: Purpose.Treatment, expiry: w.node.now() + 86_400 })).toMatchObject({
      ok: true,
    });
    w.node.mine();
    await shareDueKeys(w.ctx);
    w.node.mine();
    const xray = (await readTimeline(w.node, w.patientId, w.ctx.me.box)).find((e) => e.body?.title === 'Knee X-ray')!;
    const blobs = w.node.ledger()!.records.get(xray.id)!.blobs;
    // Body, attachment, the patient's key blob and the hospital's re-wrap.
    expect(blobs).toHaveLength(4);
    for (const h of blobs) expect(await w.node.blobs.has(h)).toBe(true);

    const r = await eraseRecord(w.ctx, xray.id);
    expect(r).toMatchObject({ ok: true, deleted: 4 });
    for (const h of blobs) expect(await w.node.blobs.has(h)).toBe(false);
    expect(erasurePending(w.node.chain(), xray.id)).toBe(true);
    expect(w.node.ledger()!.records.get(xray.id)!.erased).toBe(false);
    w.node.mine();
    const erasedAt = w.node.chain().tip.header.time;
    expect(erasurePending(w.node.chain(), xray.id)).toBe(false);
    expect(w.node.ledger()!.records.get(xray.id)!.erased).toBe(true);
    expect(erasedRecords(w.node.chain(), w.patientId)).toEqual([
      { id: xray.id, category: Category.Imaging, time: xray.time, erasedAt: expect.any(Number), hospitalName: null },
    ]);
    expect(erasedRecords(w.node.chain(), w.patientId)[0]!.erasedAt).toBeLessThanOrEqual(erasedAt);
    expect(await w.titles(w.first)).toEqual(['Latex']);
    expect(await w.hospitalSees()).toEqual(['Latex']);

    // Once is enough; and only the patient's own records.
    expect(await eraseRecord(w.ctx, xray.id)).toEqual({ ok: false, code: 'ALREADY_ERASED' });
    expect(await eraseRecord(w.ctx, toHex(new Uint8Array(32).fill(1)))).toEqual({ ok: false, code: 'NOT_YOURS' });
    // No re-wrap is ever sent for it again.
    expect(await shareDueKeys(w.ctx)).toEqual({ sent: 0, failed: null });
    expect((await w.node.verifyChain()).ok).toBe(true);
  });

  it('keeps the blobs when the erasure is refused', async () => {
    const w = await settingsWorld('refused');
    expect(await uploadRecord(w.ctx, Category.Allergy, note('Dust'), [], TODAY)).toMatchObject({ ok: true });
    w.node.mine();
    const [entry] = await readTimeline(w.node, w.patientId, w.ctx.me.box);
    const blobs = w.node.ledger()!.records.get(entry!.id)!.blobs;
    w.node.submit = async () => ({ status: 'invalid', key: '', reason: 'signature', code: 'NOT_AUTHORISED' });
    expect(await eraseRecord(w.ctx, entry!.id)).toMatchObject({ ok: false, code: 'NOT_AUTHORISED' });
    for (const h of blobs) expect(await w.node.blobs.has(h)).toBe(true);
  });
});
