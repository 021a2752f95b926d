/**
 * The messages of each language, looked up by the language being shown
 * (app/i18n/locale.svelte.ts). Only the English areas of the first screen
 * are in the entry chunk (`en/entry.ts`): the English screens' areas load
 * with the first screen of a mode, and Hindi loads whole when it is chosen
 * or preferred (the root layout waits for it, so a Hindi screen never
 * flashes English). English is the type every language must match.
 */
import type { Messages } from './en';
import { entry } from './en/entry';
import type { Lang } from './lang';

export type { Messages };

/** The English areas the first screen shows: all `t()` can give before {@link loadCatalogue} has run. */
export type EntryMessages = typeof entry;
export const englishEntry: EntryMessages = entry;

/** Loads a language's whole catalogue (chunks of their own). */
export const loadCatalogue: Readonly<Record<Lang, () => Promise<Messages>>> = {
  en: () => import('./en/screens').then((m) => ({ ...entry, ...m.screens })),
  hi: () => import('./hi').then((m) => m.hi),
};
