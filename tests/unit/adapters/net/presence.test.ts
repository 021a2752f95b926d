/** The hello status codec and the presence list. */
import { describe, expect, it } from 'vitest';
import { Presence, type PresenceEntry } from '../../../../src/lib/adapters/net/presence';
import { decodeStatus, encodeStatus } from '../../../../src/lib/adapters/net/status';
import { NodeRole } from '../../../../src/lib/core/net/messages';

describe('status codec', () => {
  it('round-trips and accepts only the canonical form', () => {
    for (const s of [
      { role: NodeRole.Hospital, height: 0 },
      { role: NodeRole.Observer, height: 123456 },
    ])
      expect(decodeStatus(encodeStatus(s))).toEqual(s);
    for (const bad of ['', '1', '1:', ':1', '01:1', '1:01', '9:1', '0:1', '1:-1', ' 1:1', '1:1\n', '1:1.5', '1:1e3', '1:9999999999999999', 'x'.repeat(5000)])
      expect(decodeStatus(bad), bad).toBeNull();
  });
});

describe('Presence', () => {
  it('lists announced and connected peers, sorted, and notifies on change only', () => {
    const p = new Presence(1000);
    const seen: (readonly PresenceEntry[])[] = [];
    p.subscribe((l) => seen.push(l));
    p.announced('bb', { role: NodeRole.Member, height: 3 }, 0);
    p.connected('aa', true);
    p.announced('bb', { role: NodeRole.Member, height: 3 }, 10); // same: no change event
    p.height('bb', 2); // lower: ignored
    p.height('bb', 5);
    expect(p.list()).toEqual([
      { nodeId: 'aa', role: null, height: null, connected: true, lastSeen: null },
      { nodeId: 'bb', role: NodeRole.Member, height: 5, connected: false, lastSeen: 10 },
    ]);
    expect(seen.length).toBe(4); // initial, bb, aa, height 5
  });

  it('drops peers neither connected nor announced within the time-to-live', () => {
    const p = new Presence(1000);
    p.announced('aa', { role: NodeRole.Hospital, height: 1 }, 0);
    p.announced('bb', { role: NodeRole.Hospital, height: 1 }, 0);
    p.connected('bb', true);
    p.connected('cc', true);
    p.connected('cc', false); // never announced: gone at once
    p.expire(1500);
    expect(p.list().map((e) => e.nodeId)).toEqual(['bb']);
    p.connected('bb', false);
    p.expire(1600);
    expect(p.list()).toEqual([]);
  });
});
