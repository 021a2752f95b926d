/** How the first language is chosen (src/lib/i18n/lang.ts) and how dates and numbers are written (format.ts). */
import { describe, expect, it } from 'vitest';
import { formatDate, formatNumber } from '../../../src/lib/i18n/format';
import { pickLang } from '../../../src/lib/i18n/lang';

describe('pickLang', () => {
  it('keeps a stored choice over the browser language', () => {
    expect(pickLang('en', ['hi-IN'])).toBe('en');
    expect(pickLang('hi', ['en-US'])).toBe('hi');
  });

  it('starts in Hindi only when the browser prefers Hindi first', () => {
    expect(pickLang(null, ['hi-IN', 'en'])).toBe('hi');
    expect(pickLang(null, ['HI'])).toBe('hi');
    expect(pickLang(null, ['en-US', 'hi'])).toBe('en');
    expect(pickLang(null, ['hu-HU'])).toBe('en');
    expect(pickLang(null, [])).toBe('en');
  });

  it('ignores a stored value that is not one of our languages', () => {
    expect(pickLang('fr', ['hi-IN'])).toBe('hi');
    expect(pickLang('', ['en-GB'])).toBe('en');
  });
});

describe('format', () => {
  it('groups numbers in lakhs and crores in both languages', () => {
    expect(formatNumber('en', 12_345_678)).toBe('1,23,45,678');
    expect(formatNumber('hi', 100_000)).toBe('1,00,000');
    expect(formatNumber('en', 999)).toBe('999');
  });

  it('writes the day before the month, the month in the language shown', () => {
    const when = Date.UTC(2026, 11, 7, 12, 0);
    expect(formatDate('en', when)).toMatch(/^7 Dec 2026$/);
    expect(formatDate('hi', when)).toMatch(/^7 दिस/);
  });
});
