/** The messages of each language, looked up by the language being shown (app/i18n/locale.svelte.ts). */
import { en, type Messages } from './en';
import { hi } from './hi';
import type { Lang } from './lang';

export type { Messages };

export const catalogues: Readonly<Record<Lang, Messages>> = { en, hi };
