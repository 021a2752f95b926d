/**
 * Every English message of the app, by area. Its type is the contract of
 * every other language (`Messages`): a language that lacks a key, has an
 * extra one or takes other arguments fails the type check. The app loads it
 * in two parts (`entry.ts` with the first screen, `screens.ts` after:
 * i18n/catalogue.ts); the command line and the tests take it whole.
 */
import { entry } from './entry';
import { screens } from './screens';

export const en = { ...entry, ...screens };

export type Messages = typeof en;
