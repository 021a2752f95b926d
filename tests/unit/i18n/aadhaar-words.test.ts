/**
 * The Aadhaar field words its refusals from the catalogue by the core's
 * problem code (so they follow the language shown); in English they must
 * stay the core's own sentences, for every problem.
 */
import { describe, expect, it } from 'vitest';
import { checkAadhaar } from '../../../src/lib/core/aadhaar';
import { en } from '../../../src/lib/i18n/en';

describe('Aadhaar refusals in the catalogue', () => {
  it('are the core messages in English, problem by problem', () => {
    const words = en.identity.aadhaarProblem;
    const seen = new Set<string>();
    for (const input of ['', '12ab', '2345 6789', '1234 5678 9012', '2345 6789 0120']) {
      const check = checkAadhaar(input);
      if (check.ok) throw new Error(`${input} should be refused`);
      seen.add(check.problem);
      const text = check.problem === 'LENGTH' ? words.LENGTH(input.replace(/[\s-]/g, '').length) : words[check.problem];
      expect(text, input).toBe(check.message);
    }
    expect([...seen].sort()).toEqual(Object.keys(words).sort());
  });
});
