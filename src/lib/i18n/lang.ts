/**
 * The languages a person can read the app in, and how the first one is
 * chosen. Pure (no browser APIs): the app's adapter (app/i18n/locale.svelte.ts)
 * passes in what it read from storage and from `navigator.languages`, so the
 * choice is tested without a browser.
 */

export type Lang = 'en' | 'hi';
export const LANGS: readonly Lang[] = ['en', 'hi'];

/** Where the person's choice is kept across reloads (localStorage). */
export const LANG_STORAGE_KEY = 'medchain.lang';

/** The BCP 47 tag used for `Intl` and `<html lang>`: Indian English and Hindi (lakh grouping, day-month order). */
export const LOCALE_TAG: Readonly<Record<Lang, string>> = { en: 'en-IN', hi: 'hi-IN' };

/** Whether `value` names one of our languages (a stored value may be anything). */
export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'hi';
}

/**
 * The language to start in: the stored choice if it is one of ours, else
 * Hindi when the browser's first preferred language is Hindi (`hi`, `hi-IN`…),
 * else English.
 */
export function pickLang(stored: string | null, preferred: readonly string[]): Lang {
  if (isLang(stored)) return stored;
  const first = preferred[0]?.toLowerCase() ?? '';
  return first === 'hi' || first.startsWith('hi-') ? 'hi' : 'en';
}

/** Each language's name in itself, so a person finds their own language whatever is shown now. */
export const LANG_NAMES: Readonly<Record<Lang, string>> = { en: 'English', hi: 'हिन्दी' };
