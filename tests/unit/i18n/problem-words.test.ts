/**
 * The coded problems of the logic modules, worded from the catalogue: each
 * code gives its sentence with its values in place, in English and in
 * Hindi, so a screen never shows a code or an English sentence built in
 * logic (issue 14 "Languages").
 */
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/lib/i18n/en';
import { hi } from '../../../src/lib/i18n/hi';
import { say } from '../../../src/lib/i18n/say';
import { actionText, changeFailureText, formText, recordProblemText, skippedText } from '../../../src/lib/app/i18n/words';
import { checkFileType } from '../../../src/lib/core/file-type';
import { decodeKit } from '../../../src/lib/core/recovery-kit';
import { checkLogin, checkRegister } from '../../../src/lib/app/identity/form';
import { parseRelayList } from '../../../src/lib/app/node/network';
import { passphraseStrength as S } from '../../../src/lib/adapters/passphrase-estimator';

const DEVANAGARI = /[\u0900-\u097F]/;

describe('worded problems', () => {
  it('word a file refused for its contents with its name and both types, in each language', () => {
    const check = checkFileType({ name: 'photo.pdf', mime: 'application/pdf' }, Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d));
    if (check.ok) throw new Error('expected a refusal');
    const p = { field: 'attachments.0', code: check.reason, args: check.args };
    expect(recordProblemText(en, p)).toBe('“photo.pdf” is not a PDF file: its contents are a PNG image. Choose the right file, or rename it to end in .png.');
    const inHindi = recordProblemText(hi, p);
    expect(inHindi).toMatch(DEVANAGARI);
    expect(inHindi).toContain('photo.pdf');
    expect(inHindi).toContain('.png');
  });

  it('word the identity forms’ problems, the Aadhaar number’s from its own words', () => {
    const r = checkRegister({ aadhaar: '2345 6789', name: '', passphrase: '', confirm: 'x' }, S);
    if (r.ok) throw new Error('expected problems');
    expect(formText(en, r.errors.aadhaar)).toBe('An Aadhaar number has 12 digits; this has 8.');
    expect(formText(en, r.errors.name)).toBe('Enter the name you want hospitals to see.');
    expect(formText(en, r.errors.passphrase)).toBe('Choose a passphrase.');
    expect(formText(hi, r.errors.confirm)).toBe(hi.form.DIFFER);
    expect(formText(hi, r.errors.aadhaar)).toMatch(DEVANAGARI);
    const login = checkLogin({ aadhaar: '', passphrase: '' });
    if (login.ok) throw new Error('expected problems');
    expect(formText(en, login.errors.passphrase)).toBe('Enter your passphrase.');
    expect(formText(en, null)).toBeNull();
  });

  it('word a too-weak passphrase with the estimate in the language shown', () => {
    expect(formText(en, { code: 'TOO_WEAK', args: [6] })).toBe(`Too weak. ${en.rules.passphraseReason(6)}`);
    expect(formText(hi, { code: 'TOO_WEAK', args: [6] })).toBe(`बहुत कमज़ोर। ${hi.rules.passphraseReason(6)}`);
  });

  it('word a refused action by its code, its fields first, and a code without words by the code itself', () => {
    expect(actionText(en, { ok: false, code: 'POOL_FULL' })).toBe(en.action.POOL_FULL);
    expect(actionText(hi, { ok: false, code: 'STAFF_NAME', args: [100] })).toContain('100');
    expect(actionText(en, { ok: false, code: 'FILE_TYPE', problems: [{ field: 'attachments.0', code: 'NOT_ALLOWED', args: ['setup.exe'] }] })).toBe(
      '“setup.exe” cannot be attached: only PDF, PNG, JPEG, WebP, GIF and plain text files can. Nothing was saved.',
    );
    expect(actionText(en, { ok: false, code: 'HIGH_HASH' })).toBe('The network refused this (HIGH_HASH).');
    expect(actionText(hi, { ok: false, code: 'HIGH_HASH' })).toContain('HIGH_HASH');
    expect(changeFailureText(en, { code: 'REWRAP_FAILED', refusal: { ok: false, code: 'NOT_READY' } })).toBe(
      `Your passphrase changed, but a record that arrived meanwhile could not be re-wrapped: ${en.action.NOT_READY}`,
    );
  });

  it('word a skipped import entry with the record checks that failed', () => {
    const s = { code: 'FORM' as const, args: [2, 'Immunization'], problems: [{ field: 'date', code: 'FUTURE_DATE' as const }] };
    expect(skippedText(en, s)).toBe('Entry 2 (Immunization): The date is in the future.');
    expect(skippedText(hi, s)).toBe(`प्रविष्टि 2 (Immunization): ${hi.recordForm.FUTURE_DATE}`);
  });

  it('word kit codes and relay problems with their values', () => {
    const short = decodeKit('M1AB');
    if (short.ok) throw new Error('expected a refusal');
    expect(say(en.kitCode, short)).toBe('A recovery kit code has 60 characters; this has 4.');
    const bad = parseRelayList('ws://127.0.0.1:4444 127.0.0.1:4445');
    if (bad.ok) throw new Error('expected a refusal');
    expect(say(en.network.relayProblem, bad.reason)).toBe('The relay address must be a ws:// or wss:// address. “127.0.0.1:4445” is not.');
    expect(say(hi.network.relayProblem, bad.reason)).toContain('“127.0.0.1:4445”');
  });
});
