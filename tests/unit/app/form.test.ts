import { describe, expect, it } from 'vitest';
import { checkLogin, checkName, checkNewPassphrase, checkRegister } from '../../../src/lib/app/identity/form';
import { passphraseStrength as S } from '../../../src/lib/adapters/passphrase-estimator';
import { verhoeffDigit } from '../../../src/lib/core/verhoeff';

const VALID = '23456789012' + String(verhoeffDigit('23456789012'));
const WRONG_CHECK = '23456789012' + String((verhoeffDigit('23456789012') + 1) % 10);
const GOOD_PASS = 'lantern orbit velvet quarry';

describe('register form', () => {
  it('accepts a valid Aadhaar number (spaces allowed), a name and an accepted passphrase', () => {
    const spaced = `${VALID.slice(0, 4)} ${VALID.slice(4, 8)} ${VALID.slice(8)}`;
    const r = checkRegister({ aadhaar: spaced, name: ' Asha Rao ', passphrase: GOOD_PASS, confirm: GOOD_PASS }, S);
    expect(r).toEqual({ ok: true, aadhaarDigits: VALID });
  });

  it('a wrong check digit is refused with the checksum code, and each field has its own coded error', () => {
    const r = checkRegister({ aadhaar: WRONG_CHECK, name: '', passphrase: 'short', confirm: 'other' }, S);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toMatchObject({
      aadhaar: { code: 'CHECKSUM' },
      name: { code: 'NAME_EMPTY' },
      passphrase: { code: 'TOO_WEAK' },
      confirm: { code: 'DIFFER' },
    });
    expect(Object.keys(r.errors).sort()).toEqual(['aadhaar', 'confirm', 'name', 'passphrase']);
  });

  it('a weak passphrase is refused even when both copies match', () => {
    const r = checkRegister({ aadhaar: VALID, name: 'A', passphrase: 'password1234', confirm: 'password1234' }, S);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toEqual(['passphrase']);
    expect(checkNewPassphrase('password1234', S).strength.acceptable).toBe(false);
    expect(checkNewPassphrase(GOOD_PASS, S).error).toBeNull();
  });

  it("the person's own name and Aadhaar number are cheap guesses in their passphrase", () => {
    // Strong on its own, refused when it is built on the registering person's name and number.
    const number = '739152840616'; // valid, with no run of digits in it
    const pass = `asharao${number}`;
    expect(checkNewPassphrase(pass, S).error).toBeNull();
    const r = checkRegister({ aadhaar: number, name: 'Asha Rao', passphrase: pass, confirm: pass }, S);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toEqual(['passphrase']);
    expect(checkNewPassphrase(pass, S, ['Asha Rao', number]).strength.weaknesses).toContain('PERSONAL');
  });

  it('names: empty, too long and control characters are refused', () => {
    expect(checkName('   ')).toEqual({ code: 'NAME_EMPTY' });
    expect(checkName('x'.repeat(81))).toEqual({ code: 'TOO_LONG', args: [80] });
    expect(checkName('a\u0007b')).toEqual({ code: 'UNPRINTABLE' });
    expect(checkName('Dr. Ñandú 李')).toBeNull();
  });
});

describe('log-in form', () => {
  it('needs a valid Aadhaar number and a passphrase (the strength policy applies when it is chosen)', () => {
    expect(checkLogin({ aadhaar: VALID, passphrase: 'x' })).toEqual({ ok: true, aadhaarDigits: VALID });
    const r = checkLogin({ aadhaar: '1' + VALID.slice(1), passphrase: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual({ aadhaar: { code: 'FIRST_DIGIT' }, passphrase: { code: 'ENTER_PASSPHRASE' } });
    expect(checkLogin({ aadhaar: '2345 6789', passphrase: 'x' })).toEqual({ ok: false, errors: { aadhaar: { code: 'LENGTH', args: [8] } } });
  });
});

describe('sessions of another network', () => {
  it('are stale only while a node of another network runs', async () => {
    const { staleSession } = await import('../../../src/lib/app/identity/network-guard');
    expect(staleSession(undefined, 'running', 'net-a')).toBe(false);
    expect(staleSession('net-a', 'running', 'net-a')).toBe(false);
    expect(staleSession('net-a', 'running', 'net-b')).toBe(true);
    // A founder signs in under the new id before its node runs.
    expect(staleSession('net-b', 'starting', 'net-a')).toBe(false);
    expect(staleSession('net-b', 'none', undefined)).toBe(false);
  });
});
