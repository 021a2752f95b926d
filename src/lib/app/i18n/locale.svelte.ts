/**
 * The language the app is shown in: the browser side of src/lib/i18n.
 * Starts from the person's stored choice, else the browser's preferred
 * language (Hindi for `hi*`, English otherwise), keeps a new choice in
 * localStorage and mirrors it on `<html lang>` so screen readers and fonts
 * switch too. Components call {@link t} in their markup, so a switch
 * re-renders every string at once without a reload. A language other than
 * English is loaded first (its own chunk): the root layout's load waits for
 * {@link languageReady}, and a switch takes effect once its messages are here.
 */
import { englishEntry, loadCatalogue, type Messages } from '../../i18n/catalogue';
import { formatDate, formatDateTime, formatNumber } from '../../i18n/format';
import { LANG_STORAGE_KEY, pickLang, type Lang } from '../../i18n/lang';

function readStored(): string | null {
  try {
    return globalThis.localStorage?.getItem(LANG_STORAGE_KEY) ?? null;
  } catch {
    return null; // storage can be blocked (private mode, policy): fall back to the browser's language
  }
}

function preferredLanguages(): readonly string[] {
  const nav = globalThis.navigator;
  return nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : [];
}

function mirror(lang: Lang): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

let current = $state<Lang>(pickLang(readStored(), preferredLanguages()));
/** The whole catalogues loaded so far. */
let loaded = $state.raw<Partial<Record<Lang, Messages>>>({});
mirror(current);

/** Loads `l`'s whole catalogue once; a failed load (offline before the chunk was cached) is tried again next time. */
async function ensure(l: Lang): Promise<void> {
  if (loaded[l]) return;
  const messages = await loadCatalogue[l]();
  loaded = { ...loaded, [l]: messages };
}

// English needs nothing more for the first screen; another language loads whole before anything shows.
const first = (current === 'en' ? Promise.resolve() : ensure(current)).catch(() => {
  // Shown in English this visit (the chunk could not be had); the choice stays.
});

/** Resolves once the first screen has the words of the language being shown (the root layout waits for it). */
export function languageReady(): Promise<void> {
  return first;
}

/** Resolves once every screen has its words in the language being shown (each mode's layout waits for it). */
export async function screensReady(): Promise<void> {
  await first;
  // A language whose chunk cannot be had (offline before it was cached) shows the screens in English.
  await ensure(current).catch(() => ensure('en'));
}

/** The language being shown (reactive). */
export function lang(): Lang {
  return current;
}

/** The messages of the language being shown (reactive: read it in markup or `$derived`). */
export function t(): Messages {
  // Before screensReady() only the first screen's areas exist: the modes' layouts wait for it, so no screen reads a missing area.
  return loaded[current] ?? loaded.en ?? (englishEntry as unknown as Messages);
}

/** Switches language once its messages are here, and keeps the choice for the next visit. */
export async function setLang(next: Lang): Promise<void> {
  await ensure(next);
  current = next;
  mirror(next);
  try {
    globalThis.localStorage?.setItem(LANG_STORAGE_KEY, next);
  } catch {
    // not kept (storage blocked), but the switch still applies to this visit
  }
}

/** Dates and numbers in the language being shown (i18n/format.ts); chain times are seconds. */
export const fmt = {
  date: (seconds: number): string => formatDate(current, seconds * 1000),
  dateTime: (seconds: number): string => formatDateTime(current, seconds * 1000),
  number: (n: number): string => formatNumber(current, n),
};
