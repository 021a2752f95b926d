/**
 * The patient tests' network (SPEC §3, §4): hospital A founds it (its
 * authority mines), hospital B ("Hill Clinic") is admitted, and a patient
 * registers with raw keys, over the app's in-memory node twin and a real
 * ChainState with the ledger rules. `seenBy` says what a hospital opens.
 */
import { expect } from 'vitest';
import { toHex } from '../../../../src/lib/core/bytes';
import { ChainState } from '../../../../src/lib/core/chain';
import { patientIdOf } from '../../../../src/lib/core/ids';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { Prng } from '../../../../src/lib/core/prng';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { hospitalDataKey } from '../../../../src/lib/app/clinician/data-key';
import { applyToJoin, approveApplication } from '../../../../src/lib/app/clinician/hospital';
import { readHistory } from '../../../../src/lib/app/clinician/history';
import { type Signer, rawSigner } from '../../../../src/lib/app/clinician/sign';
import { foundingGenesis } from '../../../../src/lib/app/node/demo-network';
import { MemoryNodeAccess } from '../../../../src/lib/app/node/memory';
import { type PatientContext, rawPatientKeys } from '../../../../src/lib/app/patient/keys';
import { registerOnChain, registrationOf } from '../../../../src/lib/app/patient/register';
import { ledgerRules } from '../../../../src/lib/core/rules';

export const T0 = 1_767_225_600;
export const DAY = 86_400;
export const TODAY = '2026-01-01';

/** Hospital A founds the network (its authority mines), B is admitted, and a patient registers. */
export async function world(seed: string) {
  const prng = new Prng(`patient-test/${seed}`);
  const random = (n: number) => prng.bytes(n);
  const person = (): Signer & { secret: Uint8Array } => {
    const secret = random(32);
    return { ...rawSigner(secret, publicKeyOf(secret)), secret };
  };
  const a = person();
  const aData = await hospitalDataKey(a, 0);
  const genesis = foundingGenesis(TEST_PARAMS, { secret: a.secret, pub: a.publicKey }, aData.publicKey, T0);
  const node = new MemoryNodeAccess(new ChainState(TEST_PARAMS, genesis, T0, { rules: ledgerRules }), { minerKey: a.publicKey });
  const hctx = { node, random };
  const b = person();
  expect(await applyToJoin(hctx, b, 'Hill Clinic')).toMatchObject({ ok: true });
  node.mine();
  expect(await approveApplication(hctx, a, toHex(b.publicKey))).toMatchObject({ ok: true });
  node.mine();
  const bData = await hospitalDataKey(b, 0);

  const signSecret = random(32);
  const signPublic = publicKeyOf(signSecret);
  const boxSecret = random(32);
  const patientId = toHex(patientIdOf(signPublic));
  const ctx: PatientContext = { node, random, me: rawPatientKeys(patientId, signSecret, signPublic, boxSecret) };
  expect(registrationOf(ctx)).toBe('absent');
  expect(await registerOnChain(ctx)).toMatchObject({ ok: true });
  expect(registrationOf(ctx)).toBe('pending');
  expect(await registerOnChain(ctx)).toBeNull();
  node.mine();
  expect(registrationOf(ctx)).toBe('on-chain');

  /** What a hospital can open of the patient's history: the titles it opens (sorted) and how many it cannot. */
  const seenBy = async (secret: Uint8Array) => {
    const h = await readHistory(node.chain(), node.ledger()!, patientId, [secret], (r) => node.getBlob(r));
    return { opens: h.flatMap((e) => (e.body ? [e.body.title] : [])).sort(), closed: h.filter((e) => !e.body).length };
  };
  /** Another device of the patient: a node of its own that has received every block of this one so far, as over the mesh. */
  const otherDevice = (): PatientContext => {
    const twin = new MemoryNodeAccess(new ChainState(TEST_PARAMS, genesis, T0, { rules: ledgerRules }), { minerKey: a.publicKey, now: node.now() });
    for (const n of node.state.activeBlocks(1)) expect(twin.state.addBlock(n.block, node.now()).status).toBe('accepted');
    return { node: twin, random, me: ctx.me };
  };
  return { node, random, a, b, aId: toHex(a.publicKey), bId: toHex(b.publicKey), aData, bData, ctx, patientId, boxSecret, seenBy, hctx, otherDevice };
}

export const note = (title: string) => ({ title, date: '2025-12-30', authorName: '', fields: [{ name: 'Hb', value: '13.1 g/dL' }], text: 'Fasting sample.' });
