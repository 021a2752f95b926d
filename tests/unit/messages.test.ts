/**
 * The English and Hindi messages of the rules (src/lib/messages.ts, words in
 * i18n/en/rules.ts and i18n/hi/rules.ts): every code the rules return has a
 * sentence in both languages, and the Hindi is Hindi.
 */
import { describe, expect, it } from 'vitest';
import { rules as enRules } from '../../src/lib/i18n/en/rules';
import { rules as hiRules } from '../../src/lib/i18n/hi/rules';
import { LANGS, powerOfTen } from '../../src/lib/messages';

const messages = { en: enRules, hi: hiRules };

const DEVANAGARI = /[\u0900-\u097F]/;

describe('messages', () => {
  it('both languages have the same keys, none empty', () => {
    const en = messages.en;
    const hi = messages.hi;
    expect(Object.keys(hi.weakness).sort()).toEqual(Object.keys(en.weakness).sort());
    expect(Object.keys(hi.login).sort()).toEqual(Object.keys(en.login).sort());
    for (const lang of LANGS) {
      const m = messages[lang];
      for (const text of [...Object.values(m.weakness), ...Object.values(m.login), m.passphraseAdvice, ...m.strengthWords, m.passphraseReason(7)]) {
        expect(text.trim().length, `${lang}: ${text}`).toBeGreaterThan(0);
        if (lang === 'hi') expect(text, text).toMatch(DEVANAGARI);
      }
    }
  });

  it('the reason names the threshold and the estimate as powers of ten', () => {
    expect(powerOfTen(12)).toBe('10¹²');
    expect(powerOfTen(8.7)).toBe('10⁸');
    expect(messages.en.passphraseReason(8.7)).toContain('10⁸');
    expect(messages.hi.passphraseReason(8.7)).toContain('10⁸');
  });
});
