/**
 * The guess-count estimator (SPEC §2: zxcvbn-ts with English and common
 * lists, plus Indian names and places). Whoever knows a person's Aadhaar
 * number can test passphrases offline, so the passphrases people in India
 * actually pick — a city or a name with a year and a symbol, a cricketer's
 * name — must be refused, with a reason, and generated ones accepted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { L33T_MAX, indianWords, passphraseStrength as S } from '../../../src/lib/adapters/passphrase-estimator';
import { MIN_GUESSES_LOG10 } from '../../../src/lib/core/passphrase-policy';
import { generatePassphrase } from '../../../src/lib/core/passphrase-words';
import { passphraseExplanation } from '../../../src/lib/messages';
import { rules as enRules } from '../../../src/lib/i18n/en/rules';
import { rules as hiRules } from '../../../src/lib/i18n/hi/rules';

// The dictionaries are built on first use (about a second); not inside a test's time.
beforeAll(() => {
  S('warm up');
}, 60_000);

describe('passphrases people pick', () => {
  it.each([
    ['Mumbai@2024!', ['NAME_OR_PLACE']],
    ['Priyanka1990#', ['COMMON_PASSWORD', 'DATE']],
    ['Sachin10Tendulkar', ['NAME_OR_PLACE', 'WORD']],
  ])('%s is refused, with the patterns that made it cheap', (p, codes) => {
    const r = S(p);
    expect(r.acceptable).toBe(false);
    expect(r.guessesLog10).toBeLessThan(MIN_GUESSES_LOG10);
    expect(r.score).toBeLessThanOrEqual(2);
    for (const c of codes) expect(r.weaknesses).toContain(c);
    // The reason is one sentence per language, then what to do.
    expect(passphraseExplanation(enRules, r)[0]).toMatch(/Aadhaar number.*10¹²/);
    expect(passphraseExplanation(hiRules, r)[0]).toMatch(/आधार नंबर.*10¹²/);
  });

  it.each(['password1234', 'qwertyuiop123456', 'aaaaaaaaaaaaaaaa', '1234567890123', 'Delhi@1234', 'Bengaluru#2023', 'Lucknow#Ravi1987', ''])(
    '%j is refused',
    (p) => {
      expect(S(p).acceptable).toBe(false);
      expect(S(p).weaknesses.length).toBeGreaterThan(0);
    },
  );

  it('knows Indian names and places that the English lists lack', () => {
    const words = indianWords();
    for (const w of ['aishani', 'lucknow', 'tamilnadu', 'nadu', 'bhattacharya']) expect(words, w).toContain(w);
    // "Aishani" alone is found as a name, not brute-forced letter by letter.
    expect(S('Aishani').weaknesses).toContain('NAME_OR_PLACE');
  });

  it('counts the person’s own name and number as cheap guesses', () => {
    const number = '739152840616'; // a valid Aadhaar number with no run in it
    const p = `meeraiyer${number}`;
    expect(S(p).acceptable).toBe(true);
    const r = S(p, ['Meera Iyer', number]);
    expect(r.acceptable).toBe(false);
    expect(r.weaknesses).toContain('PERSONAL');
  });
});

describe('passphrases that pass', () => {
  it.each([
    'correct horse battery staple',
    'lantern orchard pebble violet', // the app's stories
    'granite comet willow harbour',
    'saffron beacon otter quarry',
    'harbour tulip granite meadow',
    'Zq8#vK2!mW9$Tp4&Rb7%',
  ])('%s is acceptable, with no weakness listed', (p) => {
    const r = S(p);
    expect(r.acceptable).toBe(true);
    expect(r.weaknesses).toEqual([]);
  });

  it('every generated passphrase passes, with a wide margin (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 14, maxLength: 14 }), (bytes) => {
        const p = generatePassphrase(() => bytes);
        const r = S(p);
        expect(r.acceptable, p).toBe(true);
        expect(r.guessesLog10, p).toBeGreaterThanOrEqual(MIN_GUESSES_LOG10 + 4);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('look-alike characters are still seen through (within the cap of substitutions)', () => {
    expect(L33T_MAX).toBeGreaterThanOrEqual(4);
    expect(S('p@ssw0rd1234').weaknesses).toContain('COMMON_PASSWORD');
  });

  it('is deterministic', () => {
    expect(S('Mumbai@2024!')).toEqual(S('Mumbai@2024!'));
  });
});
