/**
 * A small network for the settings tests (SPEC §2, §3): one founding
 * hospital (its authority mines) and a registered patient whose keys are raw
 * bytes, over the app's in-memory node twin and a real ChainState.
 */
import { expect } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../../../../src/lib/core/bytes';
import { ChainState } from '../../../../src/lib/core/chain';
import { patientIdOf } from '../../../../src/lib/core/ids';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { Prng } from '../../../../src/lib/core/prng';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { hospitalDataKey } from '../../../../src/lib/app/clinician/data-key';
import { readHistory } from '../../../../src/lib/app/clinician/history';
import { rawSigner } from '../../../../src/lib/app/clinician/sign';
import { foundingGenesis } from '../../../../src/lib/app/node/demo-network';
import { MemoryNodeAccess } from '../../../../src/lib/app/node/memory';
import { type PatientContext, rawPatientKeys } from '../../../../src/lib/app/patient/keys';
import { registerOnChain } from '../../../../src/lib/app/patient/register';
import { readTimeline } from '../../../../src/lib/app/patient/timeline';
import { ledgerRules } from '../../../../src/lib/core/rules';

export const T0 = 1_767_225_600;
export const TODAY = '2026-01-01';
export const note = (title: string) => ({ title, date: '2025-12-30', authorName: '', fields: [], text: `About ${title}.` });

/** Raw patient keys from 64 random bytes: what a passphrase would derive. */
export function patientKeys(random: (n: number) => Uint8Array) {
  const signSecret = random(32);
  const boxSecret = random(32);
  return { signSecret, signPublic: publicKeyOf(signSecret), boxSecret, boxPublic: x25519.getPublicKey(boxSecret) };
}
export type RawKeys = ReturnType<typeof patientKeys>;

export async function settingsWorld(seed: string) {
  const prng = new Prng(`settings-test/${seed}`);
  const random = (n: number) => prng.bytes(n);
  const hSecret = random(32);
  const hospital = { ...rawSigner(hSecret, publicKeyOf(hSecret)), secret: hSecret };
  const data = await hospitalDataKey(hospital, 0);
  const genesis = foundingGenesis(TEST_PARAMS, { secret: hSecret, pub: hospital.publicKey }, data.publicKey, T0);
  const node = new MemoryNodeAccess(new ChainState(TEST_PARAMS, genesis, T0, { rules: ledgerRules }), { minerKey: hospital.publicKey });
  const first = patientKeys(random);
  const patientId = toHex(patientIdOf(first.signPublic));
  /** The patient's context with some keys (the id stays the first key's). */
  const as = (k: RawKeys): PatientContext => ({ node, random, me: rawPatientKeys(patientId, k.signSecret, k.signPublic, k.boxSecret) });
  const ctx = as(first);
  expect(await registerOnChain(ctx)).toMatchObject({ ok: true });
  node.mine();
  /** Titles the holder of `k` opens on the timeline (newest first), null for those it cannot open. */
  const titles = async (k: RawKeys) => (await readTimeline(node, patientId, as(k).me.box)).map((e) => e.body?.title ?? null);
  /** Titles the hospital opens. */
  const hospitalSees = async () =>
    (await readHistory(node.chain(), node.ledger()!, patientId, [data.secret], (r) => node.getBlob(r))).map((e) => e.body?.title ?? null);
  return { node, random, hospital, hospitalId: toHex(hospital.publicKey), first, patientId, as, ctx, titles, hospitalSees };
}
