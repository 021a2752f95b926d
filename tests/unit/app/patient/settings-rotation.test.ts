/**
 * Passphrase change (SPEC §2) over the in-memory twin: the rotation is sent
 * with every re-wrap prepared first; once it is in a block the new key
 * re-wraps every record (the patient's own and a hospital's) so all stay
 * readable with the new keys, the hospital keeps reading, and the old key is
 * refused for new actions. A change that stopped halfway is finished with
 * the new keys alone, once, however often it is resumed.
 */
import { describe, expect, it } from 'vitest';
import { maskAadhaar } from '../../../../src/lib/core/aadhaar';
import { toHex } from '../../../../src/lib/core/bytes';
import { verhoeffDigit } from '../../../../src/lib/core/verhoeff';
import { Category, Purpose, SCOPE_ALL } from '../../../../src/lib/core/payloads';
import { rawSigner } from '../../../../src/lib/app/clinician/sign';
import { addRecord } from '../../../../src/lib/app/clinician/write';
import { grantConsent, shareDueKeys } from '../../../../src/lib/app/patient/consent';
import { uploadRecord } from '../../../../src/lib/app/patient/upload';
import { checkPassphraseChange } from '../../../../src/lib/app/patient/settings/passphrase-form';
import { passphraseStrength as S } from '../../../../src/lib/adapters/passphrase-estimator';
import { keyStanding } from '../../../../src/lib/app/patient/settings/identify';
import { memoryPlanStore } from '../../../../src/lib/app/patient/settings/rewrap-plan';
import { extendPlan, resumeRewraps, rotationConfirmed, startRotation } from '../../../../src/lib/app/patient/settings/rotation';
import { type RawKeys, TODAY, note, patientKeys, settingsWorld } from './settings-world';

const next = (k: RawKeys) => ({ signer: rawSigner(k.signSecret, k.signPublic), boxPublic: k.boxPublic });

/** A patient with two own records (one with an attachment) and a hospital record under consent. */
async function withRecords(seed: string) {
  const w = await settingsWorld(seed);
  expect(
    await uploadRecord(
      w.ctx,
      Category.Allergy,
      note('Penicillin'),
      [{ meta: { name: 'a.pdf', mime: 'application/pdf', size: 9 }, bytes: new TextEncoder().encode('%PDF-1.4\n') }],
      TODAY,
    ),
  ).toMatchObject({ ok: true });
  expect(await uploadRecord(w.ctx, Category.LabReport, note('Lipids'), [], TODAY)).toMatchObject({ ok: true });
  w.node.mine();
  expect(await grantConsent(w.ctx, { hospital: w.hospitalId, scope: SCOPE_ALL, purpose: Purpose.Treatment, expiry: w.node.now() + 86_400 * 30 })).toMatchObject(
    { ok: true },
  );
  w.node.mine();
  expect(await shareDueKeys(w.ctx)).toEqual({ sent: 2, failed: null });
  w.node.mine();
  expect(
    await addRecord(
      { node: w.node, random: w.random },
      w.hospital,
      w.hospitalId,
      w.patientId,
      Category.Consultation,
      { ...note('Clinic visit'), attachments: [] },
      [],
      TODAY,
    ),
  ).toMatchObject({ ok: true });
  w.node.mine();
  return w;
}

describe('passphrase change', () => {
  it('re-wraps every record to the new keys; the old key is refused for new actions', async () => {
    const w = await withRecords('full');
    const store = memoryPlanStore();
    const fresh = patientKeys(w.random);
    const stages: string[] = [];
    expect(await startRotation(w.ctx, next(fresh), store, (p) => stages.push(p.stage))).toMatchObject({ ok: true });
    expect(stages).toEqual(['preparing', 'preparing', 'preparing', 'sending']);
    expect(store.load(w.patientId)!.items).toHaveLength(3);
    // Not in a block yet: the new keys cannot act and nothing is re-wrapped.
    expect(await resumeRewraps(w.as(fresh), store)).toMatchObject({ sent: 0, remaining: 3 });
    w.node.mine();

    expect(rotationConfirmed(w.node.ledger(), w.patientId, fresh.signPublic)).toBe(true);
    expect(keyStanding(w.node.ledger(), fresh.signPublic)).toEqual({ status: 'current', patient: w.patientId });
    expect(keyStanding(w.node.ledger(), w.first.signPublic)).toEqual({ status: 'rotated', patient: w.patientId });
    expect(await w.titles(fresh)).toEqual([null, null, null]);

    expect(await resumeRewraps(w.as(fresh), store)).toEqual({ sent: 3, remaining: 3, failed: null });
    w.node.mine();
    expect(await resumeRewraps(w.as(fresh), store)).toEqual({ sent: 0, remaining: 0, failed: null });
    expect(store.load(w.patientId)).toBeNull();
    expect((await w.titles(fresh)).sort()).toEqual(['Clinic visit', 'Lipids', 'Penicillin']);
    expect((await w.hospitalSees()).sort()).toEqual(['Clinic visit', 'Lipids', 'Penicillin']);

    // The old key no longer acts for the patient; the new one does, and new records are sealed to it.
    expect(await uploadRecord(w.ctx, Category.Other, note('With the old key'), [], TODAY)).toMatchObject({ ok: false, code: 'NOT_AUTHORISED' });
    expect(await grantConsent(w.ctx, { hospital: w.hospitalId, scope: SCOPE_ALL, purpose: Purpose.Treatment, expiry: w.node.now() + 86_400 })).toMatchObject({
      ok: false,
      code: 'NOT_AUTHORISED',
    });
    expect(await uploadRecord(w.as(fresh), Category.Other, note('With the new key'), [], TODAY)).toMatchObject({ ok: true });
    w.node.mine();
    expect(await w.titles(fresh)).toContain('With the new key');
    expect((await w.node.verifyChain()).ok).toBe(true);
  });

  it('finishes a change that stopped halfway with the new keys alone, once', async () => {
    const w = await withRecords('resume');
    const store = memoryPlanStore();
    const fresh = patientKeys(w.random);
    expect(await startRotation(w.ctx, next(fresh), store)).toMatchObject({ ok: true });
    w.node.mine();
    // The tab closed here: only the plan (this device's storage) and the blobs remain; the old keys are gone.
    const later = w.as(fresh);
    let sends = 0;
    const submit = w.node.submit.bind(w.node);
    w.node.submit = (tx) => (++sends === 2 ? Promise.resolve({ status: 'pool-full' as const, key: '' }) : submit(tx));
    const first = await resumeRewraps(later, store);
    expect(first).toEqual({ sent: 1, remaining: 2, failed: { ok: false, code: 'POOL_FULL' } });
    w.node.submit = submit;
    // Resumed again before a block: the one waiting in the pool is not sent twice.
    expect(await resumeRewraps(later, store)).toEqual({ sent: 2, remaining: 3, failed: null });
    expect(await resumeRewraps(later, store)).toEqual({ sent: 0, remaining: 3, failed: null });
    w.node.mine();
    expect(await resumeRewraps(later, store)).toEqual({ sent: 0, remaining: 0, failed: null });
    expect((await w.titles(fresh)).sort()).toEqual(['Clinic visit', 'Lipids', 'Penicillin']);
  });

  it('drops the plan of a rotation that never reached a block, so the patient can try again', async () => {
    const w = await withRecords('void');
    const store = memoryPlanStore();
    const fresh = patientKeys(w.random);
    expect(await startRotation(w.ctx, next(fresh), store)).toMatchObject({ ok: true });
    expect(await resumeRewraps(w.ctx, store)).toEqual({ sent: 0, remaining: 3, failed: null });
    // The pool loses the rotation (as if a block had refused it).
    for (const e of w.node.state.pending.list()) w.node.state.pending.remove(e.key);
    expect(await resumeRewraps(w.ctx, store)).toEqual({ sent: 0, remaining: 0, failed: null });
    expect(store.load(w.patientId)).toBeNull();
    expect(await startRotation(w.ctx, next(fresh), store)).toMatchObject({ ok: true });
  });

  it('adds records that reached the chain while the rotation waited, while the old keys are still in memory', async () => {
    const w = await withRecords('extend');
    const store = memoryPlanStore();
    const fresh = patientKeys(w.random);
    expect(await startRotation(w.ctx, next(fresh), store)).toMatchObject({ ok: true });
    const plan = store.load(w.patientId)!;
    store.save({ ...plan, items: plan.items.slice(1) });
    w.node.mine();
    expect(await extendPlan(w.ctx, store)).toBeNull();
    expect(
      store
        .load(w.patientId)!
        .items.map((i) => i.record)
        .sort(),
    ).toEqual(plan.items.map((i) => i.record).sort());
    await resumeRewraps(w.as(fresh), store);
    w.node.mine();
    expect((await w.titles(fresh)).sort()).toEqual(['Clinic visit', 'Lipids', 'Penicillin']);
  });

  it('refuses what would lose something: the same passphrase, unsent writes, an unfinished change, an old passphrase again', async () => {
    const w = await withRecords('refuse');
    const store = memoryPlanStore();
    expect(await startRotation(w.ctx, next(w.first), store)).toEqual({ ok: false, code: 'SAME_PASSPHRASE' });
    expect(await uploadRecord(w.ctx, Category.Other, note('Unsent'), [], TODAY)).toMatchObject({ ok: true });
    const fresh = patientKeys(w.random);
    expect(await startRotation(w.ctx, next(fresh), store)).toEqual({ ok: false, code: 'WRITES_PENDING' });
    expect(store.load(w.patientId)).toBeNull();
    w.node.mine();
    expect(await startRotation(w.ctx, next(fresh), store)).toMatchObject({ ok: true });
    // A rotation in the pool holds new records back (they would be sealed to the old key).
    expect(await uploadRecord(w.ctx, Category.Other, note('Too early'), [], TODAY)).toEqual({ ok: false, code: 'WAIT_FOR_CONSENT' });
    w.node.mine();
    const third = patientKeys(w.random);
    expect(await startRotation(w.as(fresh), next(third), store)).toEqual({ ok: false, code: 'ROTATION_UNFINISHED' });
    await resumeRewraps(w.as(fresh), store);
    w.node.mine();
    await resumeRewraps(w.as(fresh), store);
    // Back to the first passphrase: its key is taken for good.
    expect(await startRotation(w.as(fresh), next(w.first), store)).toEqual({ ok: false, code: 'PASSPHRASE_USED' });
    // The replaced key cannot start a change either.
    expect(await startRotation(w.ctx, next(third), store)).toEqual({ ok: false, code: 'NOT_CURRENT_KEYS' });
    expect(w.node.ledger()!.patients.get(w.patientId)!.signKey).toBe(toHex(fresh.signPublic));
  });
});

describe('passphrase change form', () => {
  const body = '45678901234';
  const aadhaar = body + String(verhoeffDigit(body));
  const strong = 'copper lantern meadow quietly';
  const current = 'old harbour kettle willow';
  it('asks for the same Aadhaar number, the current passphrase and a strong new passphrase typed twice', () => {
    const masked = maskAadhaar(aadhaar);
    expect(checkPassphraseChange({ aadhaar, current, passphrase: strong, confirm: strong }, masked, S)).toEqual({ ok: true, aadhaarDigits: aadhaar });
    // A recovery-kit session has no current passphrase to give.
    expect(checkPassphraseChange({ aadhaar, current: '', passphrase: strong, confirm: strong }, null, S)).toEqual({ ok: true, aadhaarDigits: aadhaar });
    expect(checkPassphraseChange({ aadhaar, current: '', passphrase: strong, confirm: strong }, masked, S)).toMatchObject({
      ok: false,
      errors: { current: { code: 'ENTER_CURRENT' } },
    });
    expect(checkPassphraseChange({ aadhaar, current: strong, passphrase: strong, confirm: strong }, masked, S)).toMatchObject({
      ok: false,
      errors: { passphrase: { code: 'SAME_AS_CURRENT' } },
    });
    const other = '23456789012'.concat(String(verhoeffDigit('23456789012')));
    const r = checkPassphraseChange({ aadhaar: other, current, passphrase: 'short', confirm: 'shorter' }, masked, S);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.aadhaar).toEqual({ code: 'OTHER_AADHAAR', args: [masked] });
    expect(r.errors.passphrase).toMatchObject({ code: 'TOO_WEAK', args: [expect.any(Number)] });
    expect(r.errors.confirm).toEqual({ code: 'DIFFER' });
    expect(checkPassphraseChange({ aadhaar: '1234', current, passphrase: strong, confirm: strong }, masked, S)).toMatchObject({
      ok: false,
      errors: { aadhaar: { code: 'LENGTH', args: [4] } },
    });
  });
});
