/**
 * The messages of each language, looked up by the language being shown
 * (app/i18n/locale.svelte.ts). English is the fallback and the type every
 * other catalogue must match, so it is always loaded; Hindi is loaded when
 * it is chosen or preferred, so an English first screen does not carry it
 * (and a Hindi one waits for it before showing anything: no English flash).
 */
import { en, type Messages } from './en';
import type { Lang } from './lang';

export type { Messages };
export { en };

/** Loads a language's messages (a separate chunk for every language but English). */
export const loadCatalogue: Readonly<Record<Lang, () => Promise<Messages>>> = {
  en: () => Promise.resolve(en),
  hi: () => import('./hi').then((m) => m.hi),
};
