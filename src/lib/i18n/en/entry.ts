/**
 * The English areas the first screen shows (the shell, the status bar, the
 * start screen and its network words, labels, the rules' words): the only
 * messages in the app's entry chunk. The screens' areas (`screens.ts`) load
 * with the first screen of a mode (its layout waits for them).
 */
import { rules } from './rules';
import { home, network } from './home';
import { shell, status } from './shell';
import { labels } from './labels';

export const entry = { shell, status, home, network, labels, rules };
