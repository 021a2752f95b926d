/**
 * `medchain inspect FILE [--json]` (issue 15): on a demo chain, the counts
 * match the file's own transactions; the report holds the consent history
 * (requests with their state, narrowed grants, revocations, refusals) and
 * no health data; the JSON has a fixed shape; a damaged or invalid file
 * exits 1 with one line, an unreadable one or bad usage exits 2, never a
 * stack trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InspectReport } from '../../../src/cli/inspect-report';
import { inspectText } from '../../../src/cli/inspect-text';
import { toHex } from '../../../src/lib/core/bytes';
import { readChainFile } from '../../../src/lib/core/chainfile';
import { decodePayload } from '../../../src/lib/core/payloads';
import { TxKind, txId } from '../../../src/lib/core/tx';
import { type CliRun, cli } from './run';

const dir = mkdtempSync(join(tmpdir(), 'medchain-inspect-'));
const path = (name: string) => join(dir, name);
let bytes: Uint8Array;
let json: CliRun;
let text: CliRun;
let report: InspectReport;
/** Transactions of the file by kind name, counted from the file itself. */
const counted: Record<string, number> = {};

beforeAll(async () => {
  const made = await cli(['demo-chain', '--blocks', '150', '--out', path('demo.chain'), '--seed', 'inspect']);
  expect(made.code).toBe(0);
  bytes = new Uint8Array(readFileSync(path('demo.chain')));
  for (const k of Object.keys(TxKind)) counted[k] = 0;
  const names = new Map(Object.entries(TxKind).map(([k, v]) => [v as number, k]));
  for (const { block } of readChainFile(bytes).blocks) for (const tx of block.txs) counted[names.get(tx.kind)!]!++;
  json = await cli(['inspect', path('demo.chain'), '--json']);
  text = await cli(['inspect', path('demo.chain')]);
  report = JSON.parse(json.out.join('\n')) as InspectReport;
}, 120_000);

const sum = (f: (p: InspectReport['patients'][number]) => number) => report.patients.reduce((n, p) => n + f(p), 0);

describe('medchain inspect on a demo chain', () => {
  it('exits 0 and counts every kind of transaction as the file holds them', () => {
    expect(json.code).toBe(0);
    expect(text.code).toBe(0);
    expect(json.err).toEqual([]);
    expect(report.transactions.byKind).toEqual(counted);
    expect(report.transactions.total).toBe(Object.values(counted).reduce((a, b) => a + b, 0));
    expect(report.blocks).toBe(151);
    expect(report.height).toBe(150);
  });

  it('lists hospitals, staff and patients as the transactions made them', () => {
    expect(report.hospitals).toHaveLength(counted.FoundNetwork! + counted.ApplyHospital!);
    const staff = report.hospitals.flatMap((h) => h.staff);
    expect(staff).toHaveLength(counted.CertifyStaff!);
    expect(staff.filter((s) => !s.active)).toHaveLength(counted.RemoveStaff!);
    expect(report.hospitals.every((h) => h.admitted)).toBe(true);
    expect(report.patients).toHaveLength(counted.RegisterPatient!);
    for (const p of report.patients) expect(p.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-Z*~$=]$/);
  });

  it('gives each patient their consent history: every request, referral, grant, revocation and refusal', () => {
    expect(sum((p) => p.asks.filter((a) => a.kind === 'request').length)).toBe(counted.RequestAccess);
    expect(sum((p) => p.asks.filter((a) => a.kind === 'referral').length)).toBe(counted.Referral);
    expect(sum((p) => p.grants.length)).toBe(counted.GrantConsent);
    expect(sum((p) => p.revocations)).toBe(counted.RevokeConsent);
    expect(sum((p) => p.refusals)).toBe(counted.RefuseRequest);
  });

  it("shows each of the demo's new kinds: refusals, narrowed grants that answer requests, requests with an answer-by time", () => {
    const asks = report.patients.flatMap((p) => p.asks);
    const grants = report.patients.flatMap((p) => p.grants);
    expect(counted.RefuseRequest).toBeGreaterThan(0);
    expect(asks.filter((a) => a.status === 'refused').every((a) => a.answer?.kind === 'refusal')).toBe(true);
    expect(asks.some((a) => a.status === 'granted' && a.answer?.kind === 'grant')).toBe(true);
    const narrowed = grants.filter((g) => g.regarding !== null && g.mode === 'view' && g.records.from !== '1970-01-01');
    expect(narrowed.length).toBeGreaterThan(0);
    expect(asks.filter((a) => a.kind === 'request').every((a) => a.answerBy !== null && a.terms?.purpose.abdm === 'CAREMGT')).toBe(true);
    expect(grants.every((g) => g.eraseBy !== null && g.eraseBy >= g.expiry!)).toBe(true);
    expect(grants.filter((g) => g.status === 'revoked').every((g) => g.revokedAt !== null)).toBe(true);
    const out = text.out.join('\n');
    expect(out).toMatch(/: refused since /);
    expect(out).toMatch(/answered by refusal [0-9a-f]{12}/);
    expect(out).toMatch(
      /\(answers [0-9a-f]{12}\)\n {6}\w+; for Treatment \(CAREMGT\); records from \d{4}-\d\d-\d\d to any later date; until [^;]+; view; erase by /,
    );
    expect(out).toMatch(/answer by \d{4}-/);
    expect(out).toMatch(/revoked at \d{4}-/);
  });

  it('shows each guardianship on both sides, with its hospital, coming of age and handover', () => {
    expect(counted.AttestGuardian).toBeGreaterThan(0);
    const all = report.patients.flatMap((p) => p.guardianships);
    expect(all.filter((g) => g.role === 'minor')).toHaveLength(counted.AttestGuardian!);
    expect(all.filter((g) => g.role === 'guardian')).toHaveLength(counted.AttestGuardian!);
    expect(all.filter((g) => g.status === 'handed over').every((g) => g.handedOver !== null)).toBe(true);
    expect(text.out.join('\n')).toMatch(/guardianship [0-9a-f]{12}: minor, guardian \S+, attested by .+ at \d{4}-.+; of age on \d{4}-\d\d-\d\d: /);
  });

  it('shows recovery through people per patient: setups, asks and who released, no share', () => {
    expect(counted.SetRecovery).toBeGreaterThan(0);
    expect(counted.AskRecovery).toBeGreaterThan(0);
    expect(counted.ReleaseRecoveryShare).toBeGreaterThan(0);
    const settings = report.patients.flatMap((p) => (p.recovery.setting ? [p.recovery.setting] : []));
    expect(settings.length).toBeGreaterThan(0);
    expect(settings.every((s) => s.status === 'off' || (s.threshold >= 2 && s.holders.length + s.paper >= s.threshold))).toBe(true);
    const asks = report.patients.flatMap((p) => p.recovery.asks);
    expect(asks).toHaveLength(counted.AskRecovery!);
    expect(asks.reduce((n, a) => n + a.released.length, 0)).toBe(counted.ReleaseRecoveryShare);
    const out = text.out.join('\n');
    expect(out).toMatch(/recovery through people (on|stale) since \d{4}-.+: 2 shares needed, held by /);
    expect(out).toMatch(/recovery ask [0-9a-f]{12} at \d{4}-.+, answer by \d{4}-.+: (recovered|open|expired|superseded); released by /);
    expect(JSON.stringify(report)).not.toMatch(/"sealed"|"shares"/);
  });

  it('holds no health data: no record id, blob hash, record category or date, and no Aadhaar-like number', () => {
    const file = readChainFile(bytes);
    const recordTxs = file.blocks.flatMap(({ block }) => block.txs.filter((t) => t.kind === TxKind.AddRecord));
    expect(recordTxs.length).toBeGreaterThan(0);
    const outputs = [json.out.join('\n'), text.out.join('\n')];
    for (const tx of recordTxs) {
      const p = decodePayload(tx.kind, tx.payload) as unknown as { body: { hash: Uint8Array } };
      for (const out of outputs) {
        expect(out).not.toContain(toHex(txId(tx)));
        expect(out).not.toContain(toHex(p.body.hash));
      }
    }
    expect(JSON.stringify(report)).not.toMatch(/"(category|day|records|blobs|readers)":\s*[^{]/);
    // Hex ids may hold runs of decimal digits; outside them no 12-digit number may appear.
    for (const out of outputs) expect(out.replace(/[0-9a-f]{12,}/g, '')).not.toMatch(/\d{12}/);
  });

  it('the JSON has a fixed shape', () => {
    expect(Object.keys(report)).toEqual(['network', 'genesis', 'height', 'blocks', 'tip', 'transactions', 'hospitals', 'patients']);
    expect(Object.keys(report.transactions.byKind)).toEqual(Object.keys(TxKind));
    expect(report.tip.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(report.genesis).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(report.hospitals[0]!)).toEqual(['id', 'name', 'admitted', 'approvals', 'staff']);
    const p = report.patients.find((x) => x.asks.length > 0 && x.grants.length > 0)!;
    expect(Object.keys(p)).toEqual([
      'id',
      'asks',
      'grants',
      'revocations',
      'refusals',
      'emergencySetting',
      'emergencies',
      'delegations',
      'guardianships',
      'recovery',
    ]);
    const e = report.patients.flatMap((x) => x.emergencies)[0]!;
    expect(Object.keys(e)).toEqual(['id', 'hospital', 'clinician', 'reason', 'opened', 'released', 'threshold', 'review', 'overdue']);
    expect(report.patients.some((x) => x.emergencySetting?.allowed)).toBe(true);
    expect(Object.keys(p.asks[0]!)).toEqual(['id', 'kind', 'hospital', 'referredBy', 'status', 'since', 'asked', 'terms', 'answerBy', 'answer']);
    expect(Object.keys(p.grants[0]!)).toEqual([
      'id',
      'hospital',
      'given',
      'status',
      'revokedAt',
      'categories',
      'purpose',
      'records',
      'expiry',
      'mode',
      'eraseBy',
      'regarding',
    ]);
    // One JSON document, laid out the same way every time.
    expect(json.out).toEqual([JSON.stringify(report, null, 2)]);
  });

  it('the text has its sections', () => {
    const out = text.out;
    expect(out[0]).toBe(`chain file ${path('demo.chain')}`);
    expect(out).toContain(`transactions: ${report.transactions.total}`);
    expect(out).toContain(`hospitals: ${report.hospitals.length}`);
    expect(out.some((l) => l.startsWith(`patients: ${report.patients.length} (consent as of the tip`))).toBe(true);
    for (const p of report.patients) expect(out.some((l) => l.startsWith(`  ${p.id}: `))).toBe(true);
    expect(out.some((l) => /^ {4}emergency access on since .*, \d+ needed$/.test(l))).toBe(true);
    expect(out.some((l) => /^ {4}emergency access [0-9a-f]{12} by .*shares released; /.test(l))).toBe(true);
  });

  it('flags an emergency access left unreviewed past 72 hours, and a late review', () => {
    const base = report.patients.find((p) => p.emergencies.length > 0)!;
    const e = base.emergencies[0]!;
    const lines = inspectText('x.chain', {
      ...report,
      patients: [
        {
          ...base,
          emergencies: [
            { ...e, review: null, overdue: true },
            { ...e, review: { outcome: 'Justified', time: e.opened, late: true } },
          ],
        },
      ],
    });
    expect(lines.some((l) => l.endsWith('NOT REVIEWED, overdue'))).toBe(true);
    expect(lines.some((l) => l.endsWith('(late)'))).toBe(true);
  });
});

describe('names from the chain cannot rewrite the terminal', () => {
  it('control and bidirectional characters are shown as ?', () => {
    const evil = 'Evil\u001b[2J\nHospital\u202e';
    const r: InspectReport = {
      ...({} as InspectReport),
      network: 'medchain-v1',
      genesis: '00'.repeat(32),
      height: 0,
      blocks: 1,
      tip: { hash: '00'.repeat(32), time: null },
      transactions: { total: 0, byKind: { RegisterPatient: 0 } as InspectReport['transactions']['byKind'] },
      hospitals: [
        { id: 'ab'.repeat(32), name: evil, admitted: false, approvals: 0, staff: [{ id: 'cd'.repeat(32), name: evil, role: 'Nurse', active: true }] },
      ],
      patients: [],
    };
    const lines = inspectText('x.chain', r);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    for (const l of lines) expect(l).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(lines).toContain(`  Evil?[2J?Hospital? [${'ab'.repeat(6)}]: applied, not admitted, 0 approvals, 1 of 1 staff member active`);
  });
});

describe('medchain inspect refuses what it cannot read', () => {
  const noTrace = (r: CliRun) => expect([...r.out, ...r.err].join('\n')).not.toMatch(/\n\s+at /);

  it('a truncated or foreign file exits 1 with one line naming the damage', async () => {
    writeFileSync(path('trunc.chain'), bytes.slice(0, Math.floor(bytes.length / 2)));
    const t = await cli(['inspect', path('trunc.chain'), '--json']);
    expect(t.code).toBe(1);
    expect(t.out).toEqual([]);
    expect(t.err).toHaveLength(1);
    expect(t.err[0]).toMatch(/^medchain inspect: .*trunc\.chain: the file is damaged: .*TRUNCATED/);
    writeFileSync(path('junk.chain'), 'not a chain file, just text');
    const j = await cli(['inspect', path('junk.chain')]);
    expect(j.code).toBe(1);
    expect(j.err[0]).toMatch(/the file is damaged: .*BAD_MAGIC/);
    for (const r of [t, j]) noTrace(r);
  });

  it('a chain with a changed transaction byte exits 1 naming the block and rule', async () => {
    const raw = readChainFile(bytes).blocks[7]!.bytes;
    const at = Buffer.from(bytes).indexOf(Buffer.from(raw));
    const bad = bytes.slice();
    bad[at + raw.length - 65]! ^= 0x01;
    writeFileSync(path('bad.chain'), bad);
    const r = await cli(['inspect', path('bad.chain')]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err[0]).toMatch(/the chain is invalid at block 7 [0-9a-f]{64} \(file block 7\): BAD_TX_ROOT/);
    noTrace(r);
  });

  it('a missing file or bad usage exits 2', async () => {
    const missing = await cli(['inspect', path('nope.chain')]);
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/^medchain inspect: cannot read .*nope\.chain: ENOENT$/);
    expect((await cli(['inspect'])).code).toBe(2);
    expect((await cli(['inspect', 'a', 'b'])).code).toBe(2);
    expect((await cli(['inspect', path('demo.chain'), '--yaml'])).code).toBe(2);
  });
});
