/**
 * Which {@link StatusSource} feeds the status bar, as networks start and
 * stop on this device. Kept apart from the Svelte store so the switching is
 * tested in plain Node: a node's source replaces the previous one (whose
 * listener is dropped, so a stopped node can never write to the bar again),
 * and {@link StatusFeed.showNoNetwork} goes back to the no-network source
 * when the device leaves its network.
 */
import type { NodeStatus, StatusSource } from './status';

export class StatusFeed {
  private stop: (() => void) | null = null;
  private fed = false;

  /**
   * `noNetwork` makes the source shown while no network runs here;
   * `show` receives every status to display.
   */
  constructor(
    private readonly noNetwork: () => StatusSource,
    private readonly show: (status: NodeStatus) => void,
  ) {}

  /** Whether any source has fed the bar yet. */
  get started(): boolean {
    return this.fed;
  }

  /** Feeds the bar from `next`, dropping the previous source's listener. */
  use(next: StatusSource): void {
    this.stop?.();
    this.fed = true;
    this.show(next.current());
    this.stop = next.subscribe(this.show);
  }

  /** No network runs on this device (none yet, or it was left): the bar says so. */
  showNoNetwork(): void {
    this.use(this.noNetwork());
  }
}
