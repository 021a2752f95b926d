import { describe, expect, it } from 'vitest';
import { BAN_SCORE, FAULT_POINTS, PeerScores } from '../../../../src/lib/core/net/peer-score';
import { TokenBucket } from '../../../../src/lib/core/net/rate';
import { SeenSet } from '../../../../src/lib/core/net/seen';

const OPTS = { banMs: 60_000, decayMs: 1000, maxPeers: 3 };

describe('peer scores and bans', () => {
  it('bans at once for faults no honest peer commits, until the ban ends', () => {
    const s = new PeerScores(OPTS);
    for (const f of ['MALFORMED', 'OVERSIZE', 'INVALID_BLOCK', 'INVALID_HEADER', 'SPAM', 'PROTOCOL'] as const) {
      expect(FAULT_POINTS[f]).toBeGreaterThanOrEqual(BAN_SCORE);
      expect(s.penalise(`p-${f}`, f, 0)).toBe(true);
    }
    expect(s.isBanned('p-SPAM', 59_999)).toBe(true);
    expect(s.isBanned('p-SPAM', 60_000)).toBe(false);
  });

  it('small faults add up, and fade with time so an occasional one never bans', () => {
    const s = new PeerScores(OPTS);
    expect(s.penalise('a', 'INVALID_TX', 0)).toBe(false);
    expect(s.score('a', 0)).toBe(20);
    expect(s.score('a', 5000)).toBe(15);
    for (let t = 0; t < 100; t++) expect(s.penalise('b', 'INVALID_TX', t * 30_000)).toBe(false);
    let banned = false;
    for (let i = 0; i < 5 && !banned; i++) banned = s.penalise('c', 'INVALID_TX', 10);
    expect(banned).toBe(true);
    expect(s.isBanned('c', 11)).toBe(true);
  });

  it('remembers a bounded number of peers', () => {
    const s = new PeerScores(OPTS);
    s.penalise('a', 'SPAM', 0);
    for (const p of ['b', 'c', 'd']) s.penalise(p, 'STALL', 0);
    expect(s.isBanned('a', 1)).toBe(false); // forgotten, oldest first
    expect(s.score('d', 0)).toBe(10);
  });
});

describe('token bucket', () => {
  it('allows a burst, then the rate', () => {
    const b = new TokenBucket(5, 10, 0);
    for (let i = 0; i < 5; i++) expect(b.take(0)).toBe(true);
    expect(b.take(0)).toBe(false);
    expect(b.take(100)).toBe(true); // 10/s: one token per 100 ms
    expect(b.take(100)).toBe(false);
    for (let i = 0; i < 5; i++) expect(b.take(10_000)).toBe(true);
    expect(b.take(10_000)).toBe(false);
  });
});

describe('seen set', () => {
  it('forgets the oldest beyond its bound; re-adding refreshes', () => {
    const s = new SeenSet(2);
    expect(s.add('a')).toBe(true);
    expect(s.add('b')).toBe(true);
    expect(s.add('a')).toBe(false);
    s.add('c');
    expect([s.has('a'), s.has('b'), s.has('c')]).toEqual([true, false, true]);
  });
});
