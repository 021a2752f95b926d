import { describe, expect, it } from 'vitest';
import { generatePassphrase } from '../../../src/lib/core/passphrase-words';
import { verhoeffDigit } from '../../../src/lib/core/verhoeff';
import { cli } from './run';

const AADHAAR = (() => {
  const body = '49731586024';
  return body + String(verhoeffDigit(body));
})();
const PASS = 'kite-river-lamp-oven\n';

describe('medchain identity', () => {
  it('prints the public identity as JSON: ids and public keys, no secret, no Aadhaar number', async () => {
    const r = await cli(['identity', '--aadhaar', AADHAAR], undefined, PASS);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    const json = JSON.parse(text);
    expect(Object.keys(json).sort()).toEqual(['encryptionPublicKey', 'network', 'patientId', 'shortId', 'signingPublicKey']);
    expect(json.patientId).toMatch(/^[0-9A-HJKMNP-TV-Z]{52}$/);
    expect(json.shortId).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z*~$=U]$/);
    expect(json.signingPublicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(json.encryptionPublicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(text).not.toContain(AADHAAR);
    expect(text).not.toContain(AADHAAR.slice(-8));
    expect(text).not.toContain('kite');
  });

  it('gives the same identity for the same inputs (spaces in the number do not matter) and another for another passphrase', async () => {
    const a = await cli(['identity', '--aadhaar', AADHAAR], undefined, PASS);
    const spaced = `${AADHAAR.slice(0, 4)} ${AADHAAR.slice(4, 8)} ${AADHAAR.slice(8)}`;
    const b = await cli(['identity', '--aadhaar', spaced], undefined, PASS);
    const c = await cli(['identity', '--aadhaar', AADHAAR], undefined, 'mango sky 42 fern\n');
    const d = await cli(['identity', '--aadhaar', AADHAAR, '--network', 'other-net'], undefined, PASS);
    expect(b.out).toEqual(a.out);
    expect(JSON.parse(c.out.join('')).patientId).not.toBe(JSON.parse(a.out.join('')).patientId);
    expect(JSON.parse(d.out.join('')).patientId).not.toBe(JSON.parse(a.out.join('')).patientId);
  });

  it.each([
    ['12345678901', /12 digits/],
    ['1' + AADHAAR.slice(1), /0 or 1/],
    [AADHAAR.slice(0, 11) + String((Number(AADHAAR[11]) + 1) % 10), /check digit/],
    ['ABCD12345678', /digits only/],
  ])('refuses the Aadhaar number %s with exit 2 and one line that does not echo it', async (number, reason) => {
    const r = await cli(['identity', '--aadhaar', number], undefined, PASS);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(reason);
    expect(r.err[0]).not.toContain(number);
  });

  it('refuses a weak or missing passphrase with exit 2 and one line', async () => {
    for (const weak of ['password1234\n', 'short\n', '']) {
      const r = await cli(['identity', '--aadhaar', AADHAAR], undefined, weak);
      expect(r.code).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/passphrase/);
    }
  });
});

describe("medchain identity: the app's passphrase rule (10^12 guesses)", () => {
  it.each(['Mumbai@2024!', 'Priyanka1990#', 'Sachin10Tendulkar'])('refuses %s with exit 2 and the reason, never echoing it', async (weak) => {
    const r = await cli(['identity', '--aadhaar', AADHAAR], undefined, `${weak}\n`);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/weak passphrase: .*Aadhaar number.*10¹²/);
    expect(r.err[0]).not.toContain(weak);
  });

  it('accepts a generated passphrase', async () => {
    const generated = generatePassphrase((n) => new Uint8Array(n).map((_, i) => i * 37 + 11));
    const r = await cli(['identity', '--aadhaar', AADHAAR], undefined, `${generated}\n`);
    expect(r.code).toBe(0);
  });

  it('refuses a passphrase built on the Aadhaar number itself', async () => {
    const r = await cli(['identity', '--aadhaar', AADHAAR], undefined, `${AADHAAR}${AADHAAR.slice(0, 4)}\n`);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/weak passphrase/);
  });
});

describe('medchain identity --aadhaar -', () => {
  it('reads the number from the first line of standard input (never an argument) and gives the same identity', async () => {
    const byArg = await cli(['identity', '--aadhaar', AADHAAR], undefined, PASS);
    const byStdin = await cli(['identity', '--aadhaar', '-'], undefined, `${AADHAAR}\n${PASS}`);
    expect(byStdin.code).toBe(0);
    expect(byStdin.out).toEqual(byArg.out);
    const bad = await cli(['identity', '--aadhaar', '-'], undefined, `12345\n${PASS}`);
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toMatch(/12 digits/);
  });
});
