/**
 * `medchain inspect`'s report as readable sections (the `--json` output is
 * the report itself, inspect-report.ts). Names come from the chain, where
 * anyone may write them: control and bidirectional-override characters are
 * shown as `?`, so a name cannot move the cursor or rewrite the lines an
 * auditor reads.
 */
import type { AskReport, EmergencyReport, GrantReport, HospitalRef, InspectReport, PatientReport, Terms } from './inspect-report';
import type { RecoveryHolderReport } from './inspect-recovery';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const safe = (s: string) => s.replace(UNSAFE, '?');

/** First 12 hex digits: enough to tell ids apart on screen; --json gives them whole. */
const short = (hex: string) => hex.slice(0, 12);
const at = (t: string | null) => t ?? 'beyond the calendar';
const hospital = (h: HospitalRef) => `${h.name === null ? 'unknown hospital' : safe(h.name)} [${short(h.id)}]`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function termsText(t: Terms): string {
  const what = t.categories === 'all' ? 'all categories' : t.categories.join(', ');
  const purpose = `${t.purpose.name}${t.purpose.abdm ? ` (${t.purpose.abdm})` : ''}`;
  const { from, to } = t.records;
  const records = from === '1970-01-01' && to === null ? 'records of any date' : `records from ${from ?? '?'} to ${to ?? 'any later date'}`;
  return `${what}; for ${purpose}; ${records}; until ${at(t.expiry)}; ${t.mode}`;
}

function askLines(a: AskReport): string[] {
  const head =
    a.kind === 'request'
      ? `request ${short(a.id)} by ${hospital(a.hospital)}`
      : `referral ${short(a.id)} to ${hospital(a.hospital)}${a.referredBy ? ` from ${hospital(a.referredBy)}` : ''}`;
  const lines = [`    ${head}, asked ${at(a.asked)}: ${a.status} since ${at(a.since)}`];
  if (a.terms) lines.push(`      asked for ${termsText(a.terms)}; answer by ${at(a.answerBy)}`);
  if (a.answer) lines.push(`      answered by ${a.answer.kind} ${short(a.answer.id)} at ${at(a.answer.time)}`);
  return lines;
}

function grantLines(g: GrantReport): string[] {
  const state = g.status === 'revoked' ? `revoked at ${at(g.revokedAt)}` : g.status;
  const answers = g.regarding ? ` (answers ${short(g.regarding)})` : '';
  return [`    grant ${short(g.id)} to ${hospital(g.hospital)}, given ${at(g.given)}: ${state}${answers}`, `      ${termsText(g)}; erase by ${at(g.eraseBy)}`];
}

function emergencyLines(p: PatientReport): string[] {
  const s = p.emergencySetting;
  const lines: string[] = [];
  if (s) {
    const what = s.categories === 'all' ? 'all categories' : s.categories.join(', ');
    lines.push(
      s.allowed
        ? `    emergency access on since ${at(s.since)}: ${what}; shares held by ${s.holders} hospitals, ${s.threshold} needed`
        : `    emergency access off since ${at(s.since)}`,
    );
  }
  for (const e of p.emergencies) lines.push(`    ${emergencyText(e)}`);
  for (const d of p.delegations) {
    const what = d.categories === 'all' ? 'all categories' : d.categories.join(', ');
    const state = d.status === 'revoked' ? `revoked at ${at(d.revokedAt)}` : d.status;
    lines.push(
      `    delegation ${short(d.id)} to caregiver ${d.caregiver}, given ${at(d.given)}: ${state}; ${what}; records from ${d.records.from ?? '?'} to ${d.records.to ?? 'any later date'}; until ${at(d.expiry)}`,
    );
  }
  for (const g of p.guardianships) {
    const who = g.role === 'minor' ? `minor, guardian ${g.other}` : `guardian of ${g.other}`;
    const state = g.status === 'handed over' ? `handed over at ${at(g.handedOver)}` : g.status;
    lines.push(`    guardianship ${short(g.id)}: ${who}, attested by ${hospital(g.hospital)} at ${at(g.attested)}; of age on ${g.until ?? '?'}: ${state}`);
  }
  return lines;
}

function emergencyText(e: EmergencyReport): string {
  const review = e.review
    ? `reviewed ${e.review.outcome} at ${at(e.review.time)}${e.review.late ? ' (late)' : ''}`
    : e.overdue
      ? 'NOT REVIEWED, overdue'
      : 'review pending';
  const shares = e.threshold > 0 ? `${e.released} of ${e.threshold} shares released` : `${e.released} shares released (setting changed since)`;
  return `emergency access ${short(e.id)} by ${hospital(e.hospital)}, clinician ${short(e.clinician)}, ${e.reason}, at ${at(e.opened)}: ${shares}; ${review}`;
}

/** A patient's recovery through people: the setting and each ask (inspect-recovery.ts). */
function recoveryLines(p: PatientReport): string[] {
  const { setting: s, asks } = p.recovery;
  const who = (h: RecoveryHolderReport) => (h.role === 'patient' ? `patient ${h.id}` : hospital(h));
  const lines: string[] = [];
  if (s?.status === 'off') lines.push(`    recovery through people off since ${at(s.since)}`);
  else if (s) {
    const paper = s.paper > 0 ? ` and ${s.paper} printed` : '';
    lines.push(`    recovery through people ${s.status} since ${at(s.since)}: ${s.threshold} shares needed, held by ${s.holders.map(who).join(', ')}${paper}`);
  }
  for (const a of asks)
    lines.push(
      `    recovery ask ${short(a.id)} at ${at(a.asked)}, answer by ${at(a.answerBy)}: ${a.status}; released by ${a.released.map(who).join(', ') || 'no one yet'}`,
    );
  return lines;
}

/** The report as lines of text. */
export function inspectText(path: string, r: InspectReport): string[] {
  const lines = [
    `chain file ${safe(path)}`,
    `  network ${safe(r.network)}, ${plural(r.blocks, 'block')} (height ${r.height})`,
    `  genesis ${r.genesis}`,
    `  tip ${r.tip.hash} at ${at(r.tip.time)}`,
    '',
    `transactions: ${r.transactions.total}`,
  ];
  const width = Math.max(...Object.keys(r.transactions.byKind).map((k) => k.length));
  for (const [kind, n] of Object.entries(r.transactions.byKind)) lines.push(`  ${kind.padEnd(width)}  ${n}`);
  lines.push('', `hospitals: ${r.hospitals.length}`);
  for (const h of r.hospitals) {
    const active = h.staff.filter((s) => s.active).length;
    lines.push(
      `  ${hospital(h)}: ${h.admitted ? 'admitted' : 'applied, not admitted'}, ${plural(h.approvals, 'approval')}, ${active} of ${plural(h.staff.length, 'staff member')} active`,
    );
    for (const s of h.staff) lines.push(`    ${safe(s.name)} [${short(s.id)}], ${s.role.toLowerCase()}, ${s.active ? 'active' : 'removed'}`);
  }
  lines.push('', `patients: ${r.patients.length} (consent as of the tip, ${at(r.tip.time)})`);
  for (const p of r.patients) {
    const counts = [
      plural(p.asks.length, 'request or referral', 'requests and referrals'),
      plural(p.grants.length, 'grant'),
      plural(p.revocations, 'revocation'),
      plural(p.refusals, 'refusal'),
      plural(p.emergencies.length, 'emergency access', 'emergency accesses'),
    ];
    lines.push(`  ${p.id}: ${counts.join(', ')}`);
    for (const a of p.asks) lines.push(...askLines(a));
    for (const g of p.grants) lines.push(...grantLines(g));
    lines.push(...emergencyLines(p), ...recoveryLines(p));
  }
  return lines;
}
