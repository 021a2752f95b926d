import { describe, expect, it } from 'vitest';
import { judgeVersion } from '../../../src/lib/app/pwa/freshness';
import { describeStatus, placeholderStatus, type NodeStatus, type OnlineSignal } from '../../../src/lib/app/status/status';

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

describe('placeholder status source', () => {
  it('claims no node, no sync, no mining and nothing waiting; follows only the browser online flag', () => {
    const signal = fakeSignal(true);
    const source = placeholderStatus(signal);
    expect(source.current()).toMatchObject({ source: 'placeholder', connection: 'no-node', peers: 0, sync: null, unsynced: 0, browserOnline: true });
    const seen: NodeStatus[] = [];
    const stop = source.subscribe((s) => seen.push(s));
    signal.set(false);
    stop();
    signal.set(true);
    expect(seen.map((s) => s.browserOnline)).toEqual([false]);
    expect(describeStatus(seen[0]!).connection).toBe('Node not connected yet · device offline');
  });

  it('describes a real node status, including offline writes waiting to sync', () => {
    const s: NodeStatus = { source: 'node', browserOnline: true, connection: 'connected', peers: 1, sync: { have: 3, target: 10 }, mining: 'mining', unsynced: 2 };
    expect(describeStatus(s)).toEqual({ connection: 'Connected to 1 peer', sync: 'Syncing 3 of 10 blocks', mining: 'Mining', pending: '2 saved on this device, will sync', failed: null });
    expect(describeStatus({ ...s, sync: { have: 10, target: 10 }, unsynced: 0 })).toMatchObject({ sync: 'Up to date', pending: null });
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
  const base: NodeStatus = { source: 'node', browserOnline: true, connection: 'connected', peers: 1, sync: { have: 3, target: 3 }, mining: 'waiting', unsynced: 0 };

  it('says nothing when no write failed', () => {
    expect(describeStatus(base).failed).toBeNull();
    expect(describeStatus({ ...base, failed: [] }).failed).toBeNull();
  });

  it('says how many of this device\'s writes failed and why, in English and Hindi, beside those that will still sync', () => {
    const s = describeStatus({ ...base, unsynced: 1, failed: ['NO_CONSENT'] });
    expect(s.pending).toBe('1 saved on this device, will sync');
    expect(s.failed?.en).toBe('1 write failed and will not sync: the patient’s consent was revoked or expired before it reached a block.');
    expect(s.failed?.hi).toMatch(/^1 बदलाव विफल रहा/);
    const two = describeStatus({ ...base, failed: ['OUT_OF_SCOPE', 'KEY_IN_USE'] }).failed!;
    expect(two.en).toBe(
      '2 writes failed and will not sync: the patient’s consent no longer covers that kind of record. the chain changed before it reached a block and it no longer applies.',
    );
  });
});
