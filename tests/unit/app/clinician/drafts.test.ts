/**
 * A clinician's draft kept on the device (issue 15): sealed under a key only
 * the same login derives, bound to its hospital and patient, never stored in
 * clear; a wrong key or a changed byte opens nothing.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../../../../src/lib/core/base64';
import { Category } from '../../../../src/lib/core/payloads';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { type Signer, rawSigner } from '../../../../src/lib/app/clinician/sign';
import {
  type Draft,
  type DraftKey,
  type DraftStore,
  draftKeeper,
  draftKey,
  draftSlot,
  MAX_SHELF,
  forgetDraftKey,
  memoryDraftStore,
  openDrafts,
  sealDrafts,
} from '../../../../src/lib/app/clinician/drafts';
import { seededRandom } from './chain-node';

const random = seededRandom('drafts-test');
const signer = (): Signer => {
  const secret = random(32);
  return rawSigner(secret, publicKeyOf(secret));
};
const H = 'aa'.repeat(32);
const P = 'bb'.repeat(32);
const NET = 'net-1';
const draft: Draft = {
  category: Category.Prescription,
  title: 'Iron supplement',
  date: '2026-03-04',
  fields: [{ name: 'Dose', value: '200 mg' }],
  text: 'Ferrous sulphate once a day for 8 weeks.',
  keptAt: 1_800_000_000,
};

async function keyOf(s: Signer, net = NET): Promise<DraftKey> {
  const k = await draftKey(s, net);
  if (!k) throw new Error('no draft key');
  return k;
}

describe('draft sealing', () => {
  it('round-trips for the same login, hospital and patient, and is never stored in clear', async () => {
    const me = signer();
    const sealed = sealDrafts(await keyOf(me), H, P, [draft], random);
    expect(sealed).not.toContain('Iron');
    expect(new TextDecoder().decode(fromBase64(sealed)!)).not.toContain('Ferrous');
    // The key is derived again from the same login (another device, after sign-out): it opens.
    expect(openDrafts(await keyOf(me), H, P, sealed)).toEqual([draft]);
  });

  it('each seal has a fresh nonce', async () => {
    const k = await keyOf(signer());
    expect(sealDrafts(k, H, P, [draft], random)).not.toBe(sealDrafts(k, H, P, [draft], random));
  });

  it('another clinician, another network, or a forgotten key opens nothing', async () => {
    const me = signer();
    const k = await keyOf(me);
    const sealed = sealDrafts(k, H, P, [draft], random);
    expect(openDrafts(await keyOf(signer()), H, P, sealed)).toBeNull();
    expect(openDrafts(await keyOf(me, 'net-2'), H, P, sealed)).toBeNull();
    forgetDraftKey(k);
    expect(k.seal.every((b) => b === 0) && k.slot.every((b) => b === 0)).toBe(true);
    expect(openDrafts(k, H, P, sealed)).toBeNull();
  });

  it('is bound to its hospital, patient and shelf', async () => {
    const k = await keyOf(signer());
    const sealed = sealDrafts(k, H, P, [draft], random);
    expect(openDrafts(k, H, 'cc'.repeat(32), sealed)).toBeNull();
    expect(openDrafts(k, 'cc'.repeat(32), P, sealed)).toBeNull();
    expect(openDrafts(k, H, P, sealed, 'sent')).toBeNull();
  });

  it('a changed byte anywhere, a cut or non-base64 text opens nothing', async () => {
    const k = await keyOf(signer());
    const bytes = fromBase64(sealDrafts(k, H, P, [draft], random))!;
    for (const at of [0, 23, 24, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const tampered = bytes.slice();
      tampered[at]! ^= 0x01;
      expect(openDrafts(k, H, P, toBase64(tampered))).toBeNull();
    }
    expect(openDrafts(k, H, P, toBase64(bytes.subarray(0, bytes.length - 1)))).toBeNull();
    expect(openDrafts(k, H, P, 'not base64!')).toBeNull();
  });

  it('an authentic seal of something that is not a draft opens as none', async () => {
    const k = await keyOf(signer());
    const other = sealDrafts(k, H, P, [{ ...draft, category: 99 as Category }], random);
    expect(openDrafts(k, H, P, other)).toBeNull();
  });

  it('no key when the signer does not sign the same way twice (nothing could open the draft again)', async () => {
    const wobbly: Signer = { publicKey: new Uint8Array(32), sign: async () => random(64) };
    expect(await draftKey(wobbly, NET)).toBeNull();
  });

  it('slot names are keyed: they name neither hospital nor patient, and differ per patient and per clinician', async () => {
    const k = await keyOf(signer());
    const slot = draftSlot(k, H, P);
    expect(slot).not.toContain(H.slice(0, 8));
    expect(slot).not.toContain(P.slice(0, 8));
    expect(draftSlot(k, H, 'cc'.repeat(32))).not.toBe(slot);
    expect(draftSlot(await keyOf(signer()), H, P)).not.toBe(slot);
    expect(draftSlot(k, H, P)).toBe(slot);
  });
});

describe('draft keeper', () => {
  it('keeps, loads, and drops; a blank form removes what was kept', async () => {
    const store = memoryDraftStore();
    const k = await keyOf(signer());
    const keeper = draftKeeper(store, k, H, P, random);
    expect(keeper.load()).toEqual([]);
    expect(keeper.keep([draft])).toBe(true);
    expect([...store.items.values()].join()).not.toContain('Iron');
    expect(keeper.load()).toEqual([draft]);
    // Another patient's keeper, or the other shelf, on the same store sees nothing of it.
    expect(draftKeeper(store, k, H, 'cc'.repeat(32), random).load()).toEqual([]);
    expect(draftKeeper(store, k, H, P, random, 'sent').load()).toEqual([]);
    expect(keeper.keep([{ ...draft, title: ' ', text: '', fields: [{ name: '', value: '' }] }])).toBe(true);
    expect(store.items.size).toBe(0);
    keeper.keep([draft]);
    keeper.drop();
    expect(keeper.load()).toEqual([]);
  });

  it('the sent shelf holds several records, each with the transaction it was sent as, its oldest forgotten beyond its limit', async () => {
    const store = memoryDraftStore();
    const sent = draftKeeper(store, await keyOf(signer()), H, P, random, 'sent');
    const many = Array.from({ length: MAX_SHELF + 2 }, (_, i): Draft => ({ ...draft, title: `Record ${i}`, sent: i.toString(16).padStart(64, '0') }));
    expect(sent.keep(many)).toBe(true);
    expect(sent.load()).toEqual(many.slice(2));
    expect(store.items.size).toBe(1);
  });

  it('says so when the store refuses (storage full or blocked)', async () => {
    const full: DraftStore = {
      load: () => null,
      save: () => {
        throw new Error('QuotaExceededError');
      },
      remove: () => undefined,
    };
    expect(draftKeeper(full, await keyOf(signer()), H, P, random).keep([draft])).toBe(false);
  });
});
