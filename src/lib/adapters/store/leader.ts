/**
 * Same-origin tabs are one node (issue 5; SPEC §5 storage): every tab of a
 * profile shares one IndexedDB store, so exactly one tab may write. The
 * writer is elected with a Web Lock held for the tab's lifetime — the
 * browser releases it when the tab closes or crashes, and the next waiting
 * tab takes over. The leader tells the others about a new tip on a
 * BroadcastChannel; followers then re-read from the store (the message only
 * says "look", it is never trusted as data beyond a hash and height).
 */
import { assert } from '../../core/assert';
import { asMarker } from './records';
import type { BlockMarker } from './types';

export type TabRole = 'leader' | 'follower';

/** What the election needs from the platform (the browser's by default; tests may pass their own). */
export interface LeaderPlatform {
  readonly locks: Pick<LockManager, 'request'>;
  openChannel(name: string): Pick<BroadcastChannel, 'postMessage' | 'close' | 'addEventListener'>;
}

export interface LeaderCallbacks {
  /** Called once when this tab becomes the writer (it stays so until it stops or closes). */
  onLeader?(): void;
  /** A follower hears of a new tip: re-read the store. */
  onTip?(tip: BlockMarker): void;
}

const browserPlatform = (): LeaderPlatform => ({
  locks: navigator.locks,
  openChannel: (name) => new BroadcastChannel(name),
});

export class TabLeadership {
  private currentRole: TabRole = 'follower';
  private stopped = false;
  private readonly abort = new AbortController();
  private release: () => void = () => {};
  private readonly channel: ReturnType<LeaderPlatform['openChannel']>;

  /** Joins the election for the store `name` (one per network). */
  constructor(name: string, callbacks: LeaderCallbacks = {}, platform: LeaderPlatform = browserPlatform()) {
    this.channel = platform.openChannel(`medchain/tip/${name}`);
    this.channel.addEventListener('message', (event) => {
      const tip = asMarker((event as MessageEvent).data);
      if (tip && this.currentRole === 'follower' && !this.stopped) callbacks.onTip?.(tip);
    });
    const held = new Promise<void>((resolve) => (this.release = resolve));
    platform.locks
      .request(`medchain/writer/${name}`, { mode: 'exclusive', signal: this.abort.signal }, async () => {
        if (this.stopped) return;
        this.currentRole = 'leader';
        callbacks.onLeader?.();
        await held;
      })
      .catch(() => {
        // Aborted while waiting (stop() before this tab was elected): nothing to release.
      });
  }

  get role(): TabRole {
    return this.currentRole;
  }

  /** The leader tells followers the store has a new tip. */
  announceTip(tip: BlockMarker): void {
    assert(this.currentRole === 'leader' && !this.stopped, 'only the leader announces tips');
    this.channel.postMessage({ key: tip.key, height: tip.height });
  }

  /** Leaves the election; a leader hands over to the next waiting tab. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.currentRole = 'follower';
    this.abort.abort();
    this.release();
    this.channel.close();
  }
}
