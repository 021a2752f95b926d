/**
 * A change of consent seen from the hospital (issue 15), over a real chain:
 * the add-record form's state as consent is given, revoked, given again and
 * expires; and the history keeping the grant's terms (view only; removed on
 * revocation or at the erase-by time; the hospital's own records stay).
 */
import { describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { hexToBytes, toHex } from '../../../../src/lib/core/bytes';
import { patientIdOf } from '../../../../src/lib/core/ids';
import { AccessMode, Category, OPEN_END, Purpose } from '../../../../src/lib/core/payloads';
import { type RecordBody, recordDay } from '../../../../src/lib/core/record';
import { sealNewRecord } from '../../../../src/lib/core/record-crypto';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { blockTemplate, mineBlock } from '../../../../src/lib/core/template';
import { TxKind } from '../../../../src/lib/core/tx';
import { addRecordState, sentOutcome } from '../../../../src/lib/app/clinician/add-record-state';
import { hospitalDataKey } from '../../../../src/lib/app/clinician/data-key';
import { readHistory } from '../../../../src/lib/app/clinician/history';
import { type ClinicianContext, type Signer, rawSigner, signDraft, submitPayload } from '../../../../src/lib/app/clinician/sign';
import { addRecord } from '../../../../src/lib/app/clinician/write';
import { DAY, foundedNode, mineOrThrow, seededRandom } from './chain-node';

const random = seededRandom('consent-terms-test');
const person = (): Signer & { secret: Uint8Array } => {
  const secret = random(32);
  return { ...rawSigner(secret, publicKeyOf(secret)), secret };
};
const body = (title: string, attachments: RecordBody['attachments'] = []): RecordBody => ({
  title,
  date: '2026-01-01',
  authorName: '',
  fields: [],
  text: 'Seen today.',
  attachments,
});

async function world() {
  const a = person();
  const data = await hospitalDataKey(a, 0);
  const node = foundedNode({ secret: a.secret, pub: a.publicKey }, data.publicKey);
  const ctx: ClinicianContext = { node, random };
  const mine = () => mineOrThrow(node);
  const ok = async (p: Promise<{ ok: boolean; code?: string }>) => expect(await p).toMatchObject({ ok: true });
  const patient = person();
  const box = random(32);
  const pid = toHex(patientIdOf(patient.publicKey));
  await ok(submitPayload(ctx, patient, { kind: TxKind.RegisterPatient, boxKey: x25519.getPublicKey(box) }));
  mine();
  const hospital = toHex(a.publicKey);
  const grant = async (terms: { expiry: number; eraseBy: number; mode: AccessMode }): Promise<string> => {
    const r = await submitPayload(ctx, patient, {
      kind: TxKind.GrantConsent,
      grantee: a.publicKey,
      scope: (1 << Category.LabReport) | (1 << Category.Prescription),
      purpose: Purpose.Treatment,
      from: 0,
      to: OPEN_END,
      regarding: new Uint8Array(32),
      ...terms,
    });
    if (!r.ok) throw new Error(r.code);
    mine();
    return r.id;
  };
  const revokeInPool = (id: string) => ok(submitPayload(ctx, patient, { kind: TxKind.RevokeConsent, grant: hexToBytes(id) }));
  const revoke = async (id: string): Promise<number> => {
    await revokeInPool(id);
    mine();
    return node.ledger()!.grants.get(id)!.revokedAt!;
  };
  /** The patient's own lab report, sealed for the readers the ledger requires now, with a text attachment. */
  const patientRecord = async (title: string): Promise<void> => {
    const file = new TextEncoder().encode('Hb 13.1\n');
    const readers = node.ledger()!.requiredReaders(pid, null, Category.LabReport, recordDay('2026-01-01'), node.now()).map(hexToBytes);
    const sealed = sealNewRecord(
      {
        patientId: hexToBytes(pid),
        hospital: new Uint8Array(32),
        author: patient.publicKey,
        category: Category.LabReport,
        body: body(title, [{ name: 'hb.txt', mime: 'text/plain', size: file.length }]),
        attachments: [file],
        readers,
        time: node.now(),
      },
      random,
    );
    for (const b of sealed.blobs) await node.putBlob(b.ref, b.bytes);
    expect((await node.submit(await signDraft(node.state.genesis.hash, patient, sealed.draft))).status).toBe('added');
    mine();
  };
  const state = (hasDraft = false) => addRecordState(node.ledger()!, hospital, pid, node.now(), hasDraft);
  const history = (terms = true) =>
    readHistory(node.chain(), node.ledger()!, pid, [data.secret], (r) => node.getBlob(r), terms ? { hospital, now: node.now() } : undefined);
  return { a, node, ctx, mine, ok, pid, hospital, grant, revoke, revokeInPool, patientRecord, state, history };
}

describe('the add-record form through a change of consent', () => {
  it('saves with consent; when revoked it stays with the reason and time, Save refused; when consent returns it saves again', async () => {
    const w = await world();
    // No consent ever: no form unless something typed is kept.
    expect(w.state()).toMatchObject({ show: false, blocked: { why: 'never' }, writable: [] });
    expect(w.state(true)).toMatchObject({ show: true, blocked: { why: 'never' } });

    const g1 = await w.grant({ expiry: w.node.now() + 10 * DAY, eraseBy: w.node.now() + 10 * DAY, mode: AccessMode.Download });
    expect(w.state()).toEqual({
      show: true,
      blocked: null,
      writable: [Category.Prescription, Category.LabReport],
      categories: [Category.Prescription, Category.LabReport],
    });

    const revokedAt = await w.revoke(g1);
    const revoked = w.state();
    expect(revoked).toMatchObject({ show: true, blocked: { why: 'revoked', at: revokedAt }, writable: [] });
    // Every kind stays on offer, so the draft keeps the kind it had.
    expect(revoked.categories).toHaveLength(8);
    // The ledger agrees: saving now is refused, so the form keeps the draft.
    expect(await addRecord(w.ctx, w.a, w.hospital, w.pid, Category.Prescription, body('Iron'), [], '2026-01-02')).toMatchObject({
      ok: false,
      code: 'NO_CONSENT',
    });

    // Consent returns: Save works again.
    const expiry = w.node.now() + 5 * DAY;
    await w.grant({ expiry, eraseBy: expiry, mode: AccessMode.View });
    expect(w.state()).toMatchObject({ show: true, blocked: null, writable: [Category.Prescription, Category.LabReport] });
    await w.ok(addRecord(w.ctx, w.a, w.hospital, w.pid, Category.Prescription, body('Iron'), [], '2026-01-02'));
    w.mine();

    // The clock passes the new grant's expiry with no new block: the form says it expired, and when.
    w.node.clock = expiry + 60;
    expect(w.state()).toMatchObject({ show: true, blocked: { why: 'expired', at: expiry } });
  });
});

describe('a record sent from the form', () => {
  it('waits, then is in the chain; or, when a revocation reaches a block first, is dropped with the reason (and the form gets it back)', async () => {
    const w = await world();
    const g = await w.grant({ expiry: w.node.now() + 10 * DAY, eraseBy: w.node.now() + 10 * DAY, mode: AccessMode.Download });
    const first = await addRecord(w.ctx, w.a, w.hospital, w.pid, Category.Prescription, body('Iron'), [], '2026-01-02');
    if (!first.ok) throw new Error(first.code);
    expect(sentOutcome(w.node.chain(), first.id)).toEqual({ state: 'waiting' });
    w.mine();
    expect(sentOutcome(w.node.chain(), first.id)).toEqual({ state: 'in-chain' });

    // Saved on this device while the patient revokes; the revocation reaches a block first.
    const second = await addRecord(w.ctx, w.a, w.hospital, w.pid, Category.Prescription, body('More iron'), [], '2026-01-02');
    if (!second.ok) throw new Error(second.code);
    await w.revokeInPool(g);
    const revocation = w.node.state.pending.list().find((e) => e.tx.kind === TxKind.RevokeConsent)!.tx;
    w.node.clock += 60;
    const r = w.node.state.addBlock(mineBlock(blockTemplate(w.node.state, w.node.state.tip, [revocation], w.node.clock, w.a.publicKey)), w.node.clock);
    expect(r.status).toBe('accepted');
    expect(sentOutcome(w.node.chain(), second.id)).toEqual({ state: 'failed', code: 'NO_CONSENT' });
    // Neither waiting, in the chain nor remembered (dropped before a reload): failed, reason unknown.
    expect(sentOutcome(w.node.chain(), 'ab'.repeat(32))).toEqual({ state: 'failed', code: null });
  });
});

describe("the hospital's history keeps the grant's terms", () => {
  it('view only: shown without download; revoked: removed (not even opened), its own records stay', async () => {
    const w = await world();
    const g = await w.grant({ expiry: w.node.now() + 10 * DAY, eraseBy: w.node.now() + 20 * DAY, mode: AccessMode.View });
    await w.patientRecord('Blood count');
    await w.ok(addRecord(w.ctx, w.a, w.hospital, w.pid, Category.Prescription, body('Iron'), [], '2026-01-02'));
    w.mine();

    const granted = await w.history();
    expect(granted.map((e) => [e.body?.title, e.access?.basis])).toEqual([
      ['Blood count', 'grant'],
      ['Iron', 'author'],
    ]);
    expect(granted[0]!.access).toMatchObject({ basis: 'grant', mode: AccessMode.View, live: true });
    expect(new TextDecoder().decode(granted[0]!.attachments[0])).toBe('Hb 13.1\n');

    const revokedAt = await w.revoke(g);
    const after = await w.history();
    expect(after.map((e) => [e.body?.title ?? null, e.attachments.length, e.access])).toEqual([
      [null, 0, { basis: 'erased-by-terms', since: revokedAt, grants: [expect.objectContaining({ id: g })] }],
      ['Iron', 0, { basis: 'author' }],
    ]);
    // The hospital still holds the key (the chain cannot take it back): only the terms keep the record closed.
    expect((await w.history(false)).map((e) => e.body?.title)).toEqual(['Blood count', 'Iron']);
  });

  it('after the expiry the copy is kept until the erase-by time, then removed', async () => {
    const w = await world();
    const expiry = w.node.now() + 10 * DAY;
    await w.grant({ expiry, eraseBy: expiry + 5 * DAY, mode: AccessMode.Download });
    await w.patientRecord('Blood count');

    w.node.clock = expiry + 1;
    expect((await w.history()).map((e) => [e.body?.title, e.access])).toEqual([
      ['Blood count', expect.objectContaining({ basis: 'grant', live: false, eraseBy: expiry + 5 * DAY, mode: AccessMode.Download })],
    ]);
    w.node.clock = expiry + 5 * DAY;
    expect((await w.history()).map((e) => [e.body, e.access?.basis, e.access?.basis === 'erased-by-terms' && e.access.since])).toEqual([
      [null, 'erased-by-terms', expiry + 5 * DAY],
    ]);
  });
});
