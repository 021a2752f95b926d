import { describe, expect, it } from 'vitest';
import { checkFounding, newNetworkId } from '../../../../src/lib/app/clinician/found';
import { passphraseStrength as S } from '../../../../src/lib/adapters/passphrase-estimator';
import { parseJoinFragment } from '../../../../src/lib/app/node/network-link';
import { verhoeffDigit } from '../../../../src/lib/core/verhoeff';

const BODY = '23456789012';
const AADHAAR = BODY + String(verhoeffDigit(BODY));
const good = {
  networkName: 'Pune Care',
  hospitalName: 'Sahyadri General',
  aadhaar: AADHAAR,
  passphrase: 'quiet walnut ferry lagoon',
  confirm: 'quiet walnut ferry lagoon',
};

describe('founding form', () => {
  it('accepts a complete form and returns the checked digits', () => {
    expect(checkFounding(good, S)).toEqual({ ok: true, aadhaarDigits: AADHAAR });
  });
  it('names every field that is wrong', () => {
    const r = checkFounding({ networkName: ' ', hospitalName: '', aadhaar: '1234', passphrase: 'short', confirm: 'other' }, S);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toMatchObject({
        aadhaar: { code: 'LENGTH', args: [4] },
        confirm: { code: 'DIFFER' },
        hospitalName: { code: 'HOSPITAL_NAME_EMPTY' },
        networkName: { code: 'NETWORK_NAME_EMPTY' },
        passphrase: { code: 'TOO_WEAK' },
      });
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['aadhaar', 'confirm', 'hospitalName', 'networkName', 'passphrase']);
  });
  it('refuses a wrong Aadhaar check digit', () => {
    const bad = AADHAAR.slice(0, 11) + String((Number(AADHAAR[11]) + 1) % 10);
    const r = checkFounding({ ...good, aadhaar: bad }, S);
    expect(r.ok).toBe(false);
  });
});

describe('new network id', () => {
  const random = (n: number) => new Uint8Array(n).fill(0xab);
  it('is a slug of the name with a random suffix, valid in a join link', () => {
    const id = newNetworkId('Pune Care — Östliche Klinik!', random);
    expect(id).toBe('pune-care-ostliche-klinik-abababab');
    expect(parseJoinFragment(`#join=${id}&relay=ws://127.0.0.1:4444&genesis=AA`)).toEqual({ ok: false, reason: { code: 'NO_GENESIS' } });
  });
  it('falls back to "net" when the name has no letters or digits', () => {
    expect(newNetworkId('———', random)).toBe('net-abababab');
  });
  it('stays within the id length limit', () => {
    expect(newNetworkId('x'.repeat(200), random).length).toBeLessThanOrEqual(63);
  });
});

describe('relay address', () => {
  it('must be a ws:// or wss:// URL', async () => {
    const { isRelayAddress } = await import('../../../../src/lib/app/node/network');
    expect(isRelayAddress('ws://127.0.0.1:4444')).toBe(true);
    expect(isRelayAddress('wss://relay.example/medchain')).toBe(true);
    for (const bad of ['', 'http://127.0.0.1:4444', '127.0.0.1:4444', 'ws://has space']) expect(isRelayAddress(bad)).toBe(false);
  });
});
