/**
 * Direct or relayed (SPEC §6): the path of a link read from the shapes of
 * Chromium's and Firefox's RTCStatsReport — the transport's selected pair,
 * or the nominated pair that succeeded — and nothing for a report without one.
 */
import { describe, expect, it } from 'vitest';
import { linkPath } from '../../../../src/lib/adapters/net/link-path';
import { isBlocked } from '../../../../src/lib/adapters/net/link-report';

type Stat = Record<string, unknown>;
const report = (...stats: Stat[]) => new Map(stats.map((s) => [s.id as string, s]));
const cand = (id: string, type: string, kind: 'local' | 'remote' = 'local', protocol = 'udp') => ({
  id,
  type: `${kind}-candidate`,
  candidateType: type,
  protocol,
});
const pair = (id: string, local: string, remote: string, extra: Stat = {}) => ({
  id,
  type: 'candidate-pair',
  localCandidateId: local,
  remoteCandidateId: remote,
  ...extra,
});

describe('link path', () => {
  it('reads the pair the transport selected (Chromium)', () => {
    const direct = report(
      { id: 'T', type: 'transport', selectedCandidatePairId: 'P1' },
      pair('P1', 'L1', 'R1'),
      pair('P2', 'L2', 'R1'),
      cand('L1', 'srflx'),
      cand('L2', 'relay'),
      cand('R1', 'host', 'remote'),
    );
    expect(linkPath(direct)).toEqual({ path: 'direct', local: 'srflx', remote: 'host', protocol: 'udp' });
    const relayed = report(
      { id: 'T', type: 'transport', selectedCandidatePairId: 'P2' },
      pair('P1', 'L1', 'R1'),
      pair('P2', 'L2', 'R1'),
      cand('L1', 'srflx'),
      cand('L2', 'relay'),
      cand('R1', 'host', 'remote'),
    );
    expect(linkPath(relayed)).toMatchObject({ path: 'relayed', local: 'relay' });
  });

  it('counts a relay candidate on the far end as relayed too', () => {
    const r = report(
      { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
      pair('P', 'L', 'R'),
      cand('L', 'prflx', 'local', 'tcp'),
      cand('R', 'relay', 'remote'),
    );
    expect(linkPath(r)).toEqual({ path: 'relayed', local: 'prflx', remote: 'relay', protocol: 'tcp' });
  });

  it('falls back to the nominated, succeeded pair (or one marked selected) when the transport names none', () => {
    const r = report(
      pair('P1', 'L1', 'R', { nominated: false, state: 'succeeded' }),
      pair('P2', 'L2', 'R', { nominated: true, state: 'succeeded' }),
      cand('L1', 'relay'),
      cand('L2', 'host'),
      cand('R', 'host', 'remote'),
    );
    expect(linkPath(r)?.path).toBe('direct');
    const firefox = report(pair('P', 'L', 'R', { selected: true }), cand('L', 'relay'), cand('R', 'host', 'remote'));
    expect(linkPath(firefox)?.path).toBe('relayed');
  });

  it('is null without a selected pair, or with candidates it cannot read', () => {
    expect(linkPath(report())).toBeNull();
    expect(linkPath(report(pair('P', 'L', 'R', { nominated: true, state: 'in-progress' }), cand('L', 'host'), cand('R', 'host', 'remote')))).toBeNull();
    expect(
      linkPath(report({ id: 'T', type: 'transport', selectedCandidatePairId: 'P' }, pair('P', 'L', 'R'), cand('L', 'weird'), cand('R', 'host', 'remote'))),
    ).toBeNull();
    expect(linkPath(report({ id: 'T', type: 'transport', selectedCandidatePairId: 'P' }, pair('P', 'L', 'gone'), cand('L', 'host')))).toBeNull();
  });
});

describe('blocked', () => {
  const p = (state: 'open' | 'connecting' | 'unreachable') => ({ id: state, state, path: null, failures: state === 'unreachable' ? 2 : 0 });
  it('only when peers are known and every one is out of reach', () => {
    expect(isBlocked([])).toBe(false);
    expect(isBlocked([p('unreachable'), p('unreachable')])).toBe(true);
    expect(isBlocked([p('unreachable'), p('connecting')])).toBe(false);
    expect(isBlocked([p('unreachable'), p('open')])).toBe(false);
  });
});
