/**
 * The status the layout shows, as Svelte 5 state fed by one
 * {@link StatusSource}. Today the placeholder; the node runtime swaps in its
 * own source with {@link useStatusSource} when it lands.
 */
import { placeholderStatus, type NodeStatus, type StatusSource } from './status';
import { browserOnlineSignal } from './browser-online';

let source: StatusSource | null = null;
let stop: (() => void) | null = null;
const state = $state<{ current: NodeStatus | null }>({ current: null });

/** Feeds the status bar from `next` (replacing the previous source). */
export function useStatusSource(next: StatusSource): void {
  stop?.();
  source = next;
  state.current = next.current();
  stop = next.subscribe((s) => (state.current = s));
}

/** The current status; starts the placeholder source on first use. */
export function appStatus(): { readonly current: NodeStatus | null } {
  if (source === null) useStatusSource(placeholderStatus(browserOnlineSignal()));
  return state;
}
