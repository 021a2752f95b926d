/**
 * The chain-state snapshot's id table (issue 7, snapshot-ids.ts): every
 * 32-byte id is written once however often the snapshot names it, and the
 * table is canonical — references only in order of first use, no id twice,
 * none unused — so one snapshot has one encoding.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/lib/core/bytes';
import { ChainState } from '../../../src/lib/core/chain';
import { demoChain } from '../../../src/lib/core/demo';
import { Reader, Writer } from '../../../src/lib/core/encoding';
import { DecodeError } from '../../../src/lib/core/errors';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { encodeSnapshot } from '../../../src/lib/core/snapshot';
import { IdReader, IdWriter } from '../../../src/lib/core/snapshot-ids';
import { ledgerRules } from '../../../src/lib/core/rules';

const A = 'aa'.repeat(32);
const B = 'bb'.repeat(32);

/** A table of `table` (raw) then references `refs`, read back: the ids, or the DecodeError's code. */
function read(table: string[], refs: number[]): string[] | string {
  const w = new Writer().varuint(table.length);
  for (const hex of table) w.fixed(Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16))), 32);
  for (const n of refs) w.varuint(n);
  const r = new Reader(w.finish());
  try {
    const ids = new IdReader(r);
    const out = refs.map(() => ids.read(r, 'ref'));
    ids.end(r);
    return out;
  } catch (e) {
    if (e instanceof DecodeError) return e.code;
    throw e;
  }
}

describe('snapshot id table', () => {
  it('writes each id once, in order of first use, and reads the references back', () => {
    const ids = new IdWriter();
    const body = new Writer();
    for (const hex of [A, B, A, A, B]) ids.write(body, hex);
    const table = new Writer();
    ids.writeTable(table);
    expect(toHex(table.finish())).toBe(`02${A}${B}`);
    expect(toHex(body.finish())).toBe('0001000001');
    expect(read([A, B], [0, 1, 0, 0, 1])).toEqual([A, B, A, A, B]);
  });

  it('refuses references out of first-use order, an id twice, an unused id and a number past the table', () => {
    expect(read([A, B], [1, 0])).toBe('NON_CANONICAL');
    expect(read([A, A], [0, 1])).toBe('NON_CANONICAL');
    expect(read([A, B], [0, 0])).toBe('NON_CANONICAL');
    expect(read([A], [0, 1])).toBe('NON_CANONICAL');
  });

  it('a patient named in many ledger entries is in the encoded snapshot once', () => {
    const { blocks } = demoChain({ blocks: 30, seed: 'snapshot-ids', params: TEST_PARAMS });
    const c = new ChainState(TEST_PARAMS, blocks[0]!, 2_000_000_000, { verifier: { verify: () => true }, rules: ledgerRules });
    for (const b of blocks.slice(1)) expect(c.addBlock(b, 2_000_000_000).status).toBe('accepted');
    c.markFinal(c.tip.key);
    const records = c.ledger!.tables().find((t) => t.name === 'records')!.entries;
    // The patient with the most records (the demo's randomness decides who).
    const count = new Map<string, number>();
    for (const [, r] of records) count.set((r as { patient: string }).patient, (count.get((r as { patient: string }).patient) ?? 0) + 1);
    const [patient, n] = [...count].sort((a, b) => b[1] - a[1])[0]!;
    expect(n).toBeGreaterThan(1);
    const hex = toHex(encodeSnapshot(c.snapshot()));
    expect(hex.split(patient).length - 1).toBe(1);
  });
});
