/**
 * The status the layout shows, as Svelte 5 state fed by one
 * {@link StatusSource} at a time (status-feed.ts): the no-network source
 * until a network starts, the node's own source while it runs (the node
 * swaps it in with {@link useStatusSource}), and the no-network source
 * again once the device leaves its network ({@link showNoNetwork}).
 */
import { noNetworkSource, type NodeStatus, type StatusSource } from './status';
import { browserOnlineSignal } from './browser-online';
import { StatusFeed } from './status-feed';

const state = $state<{ current: NodeStatus | null }>({ current: null });
const feed = new StatusFeed(
  () => noNetworkSource(browserOnlineSignal()),
  (s) => (state.current = s),
);

/** Feeds the status bar from `next` (replacing the previous source). */
export function useStatusSource(next: StatusSource): void {
  feed.use(next);
}

/** Shows that no network runs on this device (after leaving one, or when one failed to start). */
export function showNoNetwork(): void {
  feed.showNoNetwork();
}

/** The current status; starts the no-network source on first use. */
export function appStatus(): { readonly current: NodeStatus | null } {
  if (!feed.started) feed.showNoNetwork();
  return state;
}
