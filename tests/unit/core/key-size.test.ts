/**
 * Issue 13 (#9): a key blob must declare exactly one wrapped key per reader
 * (keyBlobBytes: readers × WRAPPED_KEY_BYTES, no header). A record or key
 * share whose blob is shorter leaves a reader, perhaps the patient, unable
 * ever to open the record; one that is longer is opened by nobody
 * (recordKeyFor reads only a blob of exactly that size). Both are refused
 * with BAD_KEY_SIZE; the exact size is accepted.
 */
import { describe, expect, it } from 'vitest';
import { WRAPPED_KEY_BYTES } from '../../../src/lib/core/envelope';
import { Category, SCOPE_ALL, decodePayload, encodePayload, keyBlobBytes } from '../../../src/lib/core/payloads';
import { TxKind } from '../../../src/lib/core/tx';
import { type Built, type SignKey, World, dumpLedger, scopeOf } from './ledger-world';

const LAB = scopeOf(Category.LabReport);

/** Two founding hospitals, a registered patient P who granted H1 lab reports: P's lab records have two readers. */
function setup(seed: string) {
  const w = new World(`key-size/${seed}`);
  const H1 = w.hospital('H1');
  const H2 = w.hospital('H2');
  const P = w.patient('P');
  w.ok(w.found(H1), w.found(H2));
  w.ok(w.registerPatient(P));
  w.ok(w.grant(P, H1, LAB));
  return { w, H1, H2, P };
}

/** The same transaction with its key blob's declared size moved by `delta` bytes, signed again by `author`. */
function resized(w: World, b: Built, delta: number, author: SignKey): Built {
  const p = decodePayload(b.tx.kind, b.tx.payload);
  if (p.kind !== TxKind.AddRecord && p.kind !== TxKind.ShareKeys) throw new Error('not a key-carrying payload');
  return w.raw(p.kind, encodePayload({ ...p, keys: { ...p.keys, size: p.keys.size + delta } }), author);
}

/** Wrong sizes around the exact one for `readers` readers: a byte or a whole wrap off either way, and nothing at all (each once). */
const wrongSizes = (readers: number): [string, number][] =>
  (
    [
      ['one byte short', -1],
      ['one wrap short (a reader left without a key)', -WRAPPED_KEY_BYTES],
      ['empty', -readers * WRAPPED_KEY_BYTES],
      ['one byte long', 1],
      ['one wrap long', WRAPPED_KEY_BYTES],
    ] as [string, number][]
  ).filter(([, d], i, all) => all.findIndex(([, e]) => e === d) === i);

describe('key blobs hold exactly one wrapped key per reader', () => {
  it('keyBlobBytes is readers × WRAPPED_KEY_BYTES (no header)', () => {
    expect([0, 1, 2, 64].map(keyBlobBytes)).toEqual([0, 80, 160, 5120]);
  });

  it.each(wrongSizes(2))('AddRecord with a key blob %s is BAD_KEY_SIZE; the exact size is accepted', (_name, delta) => {
    const { w, P } = setup(`add/${delta}`);
    const exact = w.addRecord(P, P, Category.LabReport);
    const p = decodePayload(exact.tx.kind, exact.tx.payload);
    expect(p.kind === TxKind.AddRecord && [p.readers.length, p.keys.size]).toEqual([2, 2 * WRAPPED_KEY_BYTES]);
    const before = dumpLedger(w.ledger);
    expect(w.code(resized(w, exact, delta, P.sign))).toBe('BAD_KEY_SIZE');
    expect(dumpLedger(w.ledger)).toBe(before);
    expect(w.code(exact)).toBe('OK');
    // Every reader of the accepted record can open it.
    expect(w.canDecrypt(P, exact.id)).toBe(true);
  });

  it.each(wrongSizes(1))('ShareKeys with a key blob %s is BAD_KEY_SIZE; the exact size is accepted', (_name, delta) => {
    const { w, H2, P } = setup(`share/${delta}`);
    const record = w.addRecord(P, P, Category.LabReport);
    w.ok(record);
    w.ok(w.grant(P, H2, SCOPE_ALL));
    const exact = w.shareKeys(P, record.id);
    const p = decodePayload(exact.tx.kind, exact.tx.payload);
    expect(p.kind === TxKind.ShareKeys && [p.readers.length, p.keys.size]).toEqual([1, WRAPPED_KEY_BYTES]);
    const before = dumpLedger(w.ledger);
    expect(w.code(resized(w, exact, delta, P.sign))).toBe('BAD_KEY_SIZE');
    expect(dumpLedger(w.ledger)).toBe(before);
    expect(w.code(exact)).toBe('OK');
    expect(w.canDecrypt(H2, record.id)).toBe(true);
  });
});
