/**
 * On what terms a hospital's app shows a record (issue 15): a live grant in
 * range, a record outside its dates or kinds, past the erase-by time,
 * revoked, written by the hospital itself, view-only against download.
 */
import { describe, expect, it } from 'vitest';
import type { GrantState, RecordState } from '../../../../src/lib/core/ledger';
import { AccessMode, Category, OPEN_END, Purpose } from '../../../../src/lib/core/payloads';
import { type ConsentTables, type RecordAccess, mayDownload, nextAccessChange, recordAccess } from '../../../../src/lib/app/clinician/record-access';

const T = 1_800_000_000;
const DAY = 86_400;
const P = 'patient';
const H = 'hospital-h';
const OTHER = 'hospital-o';

const grant = (id: string, over: Partial<GrantState> = {}): GrantState => ({
  id,
  patient: P,
  hospital: H,
  scope: 1 << Category.LabReport,
  purpose: Purpose.Treatment,
  from: 100,
  to: 200,
  expiry: T + 10 * DAY,
  eraseBy: T + 20 * DAY,
  mode: AccessMode.Download,
  time: T,
  regarding: null,
  revoked: false,
  revokedAt: null,
  ...over,
});

const record = (over: Partial<RecordState> = {}): RecordState => ({
  id: 'r1',
  patient: P,
  hospital: null,
  author: 'patient-key',
  category: Category.LabReport,
  day: 150,
  time: T + DAY,
  height: 5,
  readers: [],
  blobs: [],
  erased: false,
  ...over,
});

const tables = (...grants: GrantState[]): ConsentTables => {
  const byId = new Map(grants.map((g) => [g.id, g]));
  return { grants: byId, byPatient: { get: (p) => (p === P ? ['r1', ...byId.keys()] : undefined) } };
};

/** The basis and what the screen shows of it (grant id, mode, live, times). */
const said = (a: RecordAccess) =>
  a.basis === 'grant'
    ? { basis: a.basis, grant: a.grant.id, mode: a.mode, live: a.live, eraseBy: a.eraseBy, download: mayDownload(a) }
    : a.basis === 'erased-by-terms'
      ? { basis: a.basis, since: a.since, grants: a.grants.map((g) => g.id), download: mayDownload(a) }
      : { basis: a.basis, download: mayDownload(a) };

const live = T + 2 * DAY;
const cases: { name: string; grants: GrantState[]; record?: Partial<RecordState>; now: number; expect: ReturnType<typeof said> }[] = [
  {
    name: 'a live grant covering its kind and date',
    grants: [grant('g1')],
    now: live,
    expect: { basis: 'grant', grant: 'g1', mode: AccessMode.Download, live: true, eraseBy: T + 20 * DAY, download: true },
  },
  { name: 'a record dated after the range', grants: [grant('g1')], record: { day: 201 }, now: live, expect: { basis: 'none', download: false } },
  { name: 'a record dated before the range', grants: [grant('g1')], record: { day: 99 }, now: live, expect: { basis: 'none', download: false } },
  {
    name: 'an open-ended range covers every later record',
    grants: [grant('g1', { to: OPEN_END })],
    record: { day: 90_000 },
    now: live,
    expect: { basis: 'grant', grant: 'g1', mode: AccessMode.Download, live: true, eraseBy: T + 20 * DAY, download: true },
  },
  { name: 'a kind outside the scope', grants: [grant('g1')], record: { category: Category.Imaging }, now: live, expect: { basis: 'none', download: false } },
  { name: 'a grant to another hospital', grants: [grant('g1', { hospital: OTHER })], now: live, expect: { basis: 'none', download: false } },
  {
    name: 'expired but before its erase-by time: kept, not live',
    grants: [grant('g1')],
    now: T + 15 * DAY,
    expect: { basis: 'grant', grant: 'g1', mode: AccessMode.Download, live: false, eraseBy: T + 20 * DAY, download: true },
  },
  {
    name: 'at its erase-by time: removed since then',
    grants: [grant('g1')],
    now: T + 20 * DAY,
    expect: { basis: 'erased-by-terms', since: T + 20 * DAY, grants: ['g1'], download: false },
  },
  {
    name: 'revoked: removed at the revocation, whatever its erase-by time',
    grants: [grant('g1', { revoked: true, revokedAt: T + 3 * DAY })],
    now: T + 4 * DAY,
    expect: { basis: 'erased-by-terms', since: T + 3 * DAY, grants: ['g1'], download: false },
  },
  {
    name: 'revoked, but another live grant still covers it',
    grants: [grant('g1', { revoked: true, revokedAt: T + 3 * DAY }), grant('g2', { time: T + 3 * DAY, expiry: T + 30 * DAY, eraseBy: T + 40 * DAY })],
    now: T + 4 * DAY,
    expect: { basis: 'grant', grant: 'g2', mode: AccessMode.Download, live: true, eraseBy: T + 40 * DAY, download: true },
  },
  {
    name: 'removed since the latest of its grants ended',
    grants: [grant('g1', { revoked: true, revokedAt: T + 3 * DAY }), grant('g2', { eraseBy: T + 12 * DAY })],
    now: T + 13 * DAY,
    expect: { basis: 'erased-by-terms', since: T + 12 * DAY, grants: ['g1', 'g2'], download: false },
  },
  {
    name: 'written after the only grant was revoked: never shared',
    grants: [grant('g1', { revoked: true, revokedAt: T + 3 * DAY })],
    record: { time: T + 5 * DAY },
    now: T + 6 * DAY,
    expect: { basis: 'none', download: false },
  },
  {
    name: 'written by the hospital itself: its own, even after revocation',
    grants: [grant('g1', { revoked: true, revokedAt: T + 3 * DAY })],
    record: { hospital: H },
    now: T + 30 * DAY,
    expect: { basis: 'author', download: true },
  },
  {
    name: 'a view-only grant: shown, no download',
    grants: [grant('g1', { mode: AccessMode.View })],
    now: live,
    expect: { basis: 'grant', grant: 'g1', mode: AccessMode.View, live: true, eraseBy: T + 20 * DAY, download: false },
  },
  {
    name: 'view-only and download grants both live: the wider one',
    grants: [grant('g1', { mode: AccessMode.View, expiry: T + 50 * DAY, eraseBy: T + 50 * DAY }), grant('g2')],
    now: live,
    expect: { basis: 'grant', grant: 'g2', mode: AccessMode.Download, live: true, eraseBy: T + 50 * DAY, download: true },
  },
  {
    name: 'a live view-only grant wins over a download grant only kept until its erase-by',
    grants: [grant('g1', { expiry: T + 3 * DAY }), grant('g2', { mode: AccessMode.View, expiry: T + 30 * DAY, eraseBy: T + 30 * DAY })],
    now: T + 4 * DAY,
    expect: { basis: 'grant', grant: 'g2', mode: AccessMode.View, live: true, eraseBy: T + 30 * DAY, download: false },
  },
];

describe('recordAccess', () => {
  it.each(cases)('$name', ({ grants, record: over, now, expect: want }) => {
    expect(said(recordAccess(tables(...grants), H, record(over), now))).toEqual(want);
  });
});

describe('nextAccessChange', () => {
  it('is the next expiry or erase-by time ahead, ignoring revoked grants and other hospitals', () => {
    const t = tables(
      grant('g1'),
      grant('g2', { revoked: true, revokedAt: T + DAY, expiry: T + 5 * DAY }),
      grant('g3', { hospital: OTHER, expiry: T + 4 * DAY, eraseBy: T + 4 * DAY }),
    );
    expect(nextAccessChange(t, P, H, T)).toBe(T + 10 * DAY);
    expect(nextAccessChange(t, P, H, T + 10 * DAY)).toBe(T + 20 * DAY);
    expect(nextAccessChange(t, P, H, T + 20 * DAY)).toBeNull();
    expect(nextAccessChange(t, 'someone else', H, T)).toBeNull();
  });
});
