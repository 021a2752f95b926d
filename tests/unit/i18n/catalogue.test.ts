/**
 * Every message of the app (src/lib/i18n) exists in English and Hindi with
 * the same keys and the same arguments: a message that lacks a language, or
 * whose Hindi drops or adds an argument the English shows, fails here
 * (the type check catches a missing key too; this also catches a dropped
 * placeholder, an empty string and English left untranslated).
 */
import { describe, expect, it } from 'vitest';
import { englishEntry, loadCatalogue } from '../../../src/lib/i18n/catalogue';
import { en as english } from '../../../src/lib/i18n/en';
import { LANGS } from '../../../src/lib/i18n/lang';
import { compareCatalogues } from './compare';

describe('the catalogue', () => {
  it("loads English whole in two parts: the first screen's areas, then the screens'", async () => {
    const whole = await loadCatalogue.en();
    expect(Object.keys(whole).sort()).toEqual(Object.keys(english).sort());
    expect(Object.keys(englishEntry).sort()).toEqual(['home', 'labels', 'network', 'rules', 'shell', 'status']);
  });

  it('has every message in every language, with the same arguments', async () => {
    for (const lang of LANGS) {
      if (lang === 'en') continue;
      expect(compareCatalogues(english, await loadCatalogue[lang]()), lang).toEqual([]);
    }
  });

  it('names a key missing from a language', () => {
    const en = { a: { b: 'Hello', c: 'Bye' } };
    expect(compareCatalogues(en, { a: { b: 'नमस्ते' } })).toEqual(['a.c: missing']);
    expect(compareCatalogues(en, { a: { b: 'नमस्ते', c: 'अलविदा', d: 'और' } })).toEqual(['a.d: not in English']);
  });

  it('names a placeholder one language drops, a message left in English or an empty one', () => {
    const en = { n: (count: number, who: string) => `${count} records for ${who}` };
    expect(compareCatalogues(en, { n: (count: number, who: string) => `${who} के ${count} रिकॉर्ड` })).toEqual([]);
    expect(compareCatalogues(en, { n: (count: number, who: string) => `${count} रिकॉर्ड ${who ? '' : ''}` })).toEqual([
      'n: shows arguments [0,1] in English but [0] here',
    ]);
    expect(compareCatalogues(en, { n: (count: number) => `${count} रिकॉर्ड` })).toEqual(['n: arguments 2 ≠ 1']);
    expect(compareCatalogues({ s: 'Save' }, { s: 'Save' })).toEqual(['s: no Devanagari']);
    expect(compareCatalogues({ s: 'Save' }, { s: ' ' })).toEqual(['s: empty']);
    expect(compareCatalogues({ s: 'Save' }, { s: () => 'सहेजें' })).toEqual(['s: a function in one language only']);
  });
});
