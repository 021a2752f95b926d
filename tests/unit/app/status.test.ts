import { describe, expect, it } from 'vitest';
import { judgeVersion } from '../../../src/lib/app/pwa/freshness';
import { describeStatus, noNetworkSource, type NodeStatus, type OnlineSignal, type StatusSource } from '../../../src/lib/app/status/status';
import { StatusFeed } from '../../../src/lib/app/status/status-feed';
import { en } from '../../../src/lib/i18n/en';
import { hi } from '../../../src/lib/i18n/hi';

/** The status lines in English, the words the bar gets from the catalogue when English is shown. */
const describeStatusEn = (s: Parameters<typeof describeStatus>[0]) => describeStatus(s, en.status, en.rules);

function fakeSignal(start: boolean): OnlineSignal & { set(v: boolean): void } {
  let online = start;
  const listeners = new Set<() => void>();
  return {
    online: () => online,
    watch(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    set(v) {
      online = v;
      for (const cb of listeners) cb();
    },
  };
}

describe('status while no network runs on this device', () => {
  it('claims no network, no sync, no mining and nothing waiting; follows only the browser online flag', () => {
    const signal = fakeSignal(true);
    const source = noNetworkSource(signal);
    expect(source.current()).toMatchObject({ source: 'none', connection: 'no-network', peers: 0, sync: null, unsynced: 0, browserOnline: true });
    expect(describeStatusEn(source.current()).connection).toBe('No network on this device yet');
    const seen: NodeStatus[] = [];
    const stop = source.subscribe((s) => seen.push(s));
    signal.set(false);
    stop();
    signal.set(true);
    expect(seen.map((s) => s.browserOnline)).toEqual([false]);
    expect(describeStatusEn(seen[0]!).connection).toBe('No network on this device yet · device offline');
  });
});

/** A node's status source whose status the test moves (its changes ride on a fake signal), counting its listeners. */
function fakeNodeSource(start: NodeStatus): StatusSource & { emit(s: NodeStatus): void; listeners(): number } {
  let now = start;
  let listeners = 0;
  const changes = fakeSignal(true);
  return {
    current: () => now,
    subscribe(cb) {
      listeners++;
      const stop = changes.watch(() => cb(now));
      return () => {
        listeners--;
        stop();
      };
    },
    emit(s) {
      now = s;
      changes.set(true);
    },
    listeners: () => listeners,
  };
}

describe("the status bar's feed", () => {
  const running: NodeStatus = {
    source: 'node',
    browserOnline: true,
    connection: 'connected',
    peers: 2,
    sync: { have: 5, target: 5 },
    mining: 'waiting',
    unsynced: 0,
  };

  it("shows no network before one starts, the node's status while it runs, and no network again once the device leaves it", () => {
    const signal = fakeSignal(true);
    const shown: NodeStatus[] = [];
    const feed = new StatusFeed(
      () => noNetworkSource(signal),
      (s) => shown.push(s),
    );
    expect(feed.started).toBe(false);
    feed.showNoNetwork();
    expect(shown.at(-1)).toMatchObject({ source: 'none', connection: 'no-network' });

    const node = fakeNodeSource(running);
    feed.use(node);
    expect(shown.at(-1)).toBe(running);
    node.emit({ ...running, peers: 3 });
    expect(shown.at(-1)).toMatchObject({ source: 'node', peers: 3 });

    feed.showNoNetwork(); // leaveNetwork
    expect(shown.at(-1)).toMatchObject({ source: 'none', connection: 'no-network', peers: 0, sync: null });
    expect(node.listeners()).toBe(0);
    const count = shown.length;
    node.emit({ ...running, peers: 4 }); // the stopped node's last change never reaches the bar
    expect(shown).toHaveLength(count);
    signal.set(false); // the no-network source is live again
    expect(shown.at(-1)).toMatchObject({ source: 'none', browserOnline: false });
  });

  it('describes a real node status, including offline writes waiting to sync', () => {
    const s: NodeStatus = {
      source: 'node',
      browserOnline: true,
      connection: 'connected',
      peers: 1,
      sync: { have: 3, target: 10 },
      mining: 'mining',
      unsynced: 2,
    };
    expect(describeStatusEn(s)).toEqual({
      connection: 'Connected to 1 peer',
      sync: 'Syncing 3 of 10 blocks',
      mining: 'Mining',
      pending: '2 saved on this device, will sync',
      failed: null,
      stored: null,
    });
    expect(describeStatusEn({ ...s, sync: { have: 10, target: 10 }, unsynced: 0 })).toMatchObject({ sync: 'Up to date', pending: null });
  });
});

describe('service worker freshness verdict', () => {
  it('same build, newer build, foreign app, or no answer', () => {
    expect(judgeVersion(200, '{"version":"v1"}', 'v1')).toBe('same');
    expect(judgeVersion(200, '{"version":"v2"}', 'v1')).toBe('newer');
    expect(judgeVersion(404, 'Not Found', 'v1')).toBe('foreign');
    expect(judgeVersion(200, '<!doctype html><p>another app', 'v1')).toBe('foreign');
    expect(judgeVersion(200, '{"name":"other"}', 'v1')).toBe('foreign');
    expect(judgeVersion(0, '', 'v1')).toBe('unknown');
    expect(judgeVersion(503, '', 'v1')).toBe('unknown');
  });
});

describe('writes that failed', () => {
  const base: NodeStatus = {
    source: 'node',
    browserOnline: true,
    connection: 'connected',
    peers: 1,
    sync: { have: 3, target: 3 },
    mining: 'waiting',
    unsynced: 0,
  };

  it('says nothing when no write failed', () => {
    expect(describeStatusEn(base).failed).toBeNull();
    expect(describeStatusEn({ ...base, failed: [] }).failed).toBeNull();
  });

  it("says how many of this device's writes failed and why, in English and Hindi, beside those that will still sync", () => {
    const s = describeStatusEn({ ...base, unsynced: 1, failed: ['NO_CONSENT'] });
    expect(s.pending).toBe('1 saved on this device, will sync');
    expect(s.failed).toBe('1 write failed and will not sync: the patient’s consent was revoked or expired before it reached a block.');
    expect(describeStatus({ ...base, failed: ['NO_CONSENT'] }, hi.status, hi.rules).failed).toMatch(/^1 बदलाव विफल रहा/);
    const two = describeStatusEn({ ...base, failed: ['OUT_OF_SCOPE', 'KEY_IN_USE'] }).failed!;
    expect(two).toBe(
      '2 writes failed and will not sync: the patient’s consent no longer covers that kind of record. the chain changed before it reached a block and it no longer applies.',
    );
  });
});
