/**
 * Fuzzing votes as peers send them and as a node keeps them (issue 13):
 * readVote over any transaction, readEvidence over any two byte strings,
 * and decodeVoteMemory (the agreement's saved state, read back at start).
 *
 * Budgets:
 * - readVote and readEvidence never throw (null for anything not a vote);
 *   decodeVoteMemory never throws (null for bad bytes);
 * - canonical: a vote memory that decodes re-encodes to the same bytes;
 * - memory: a vote or vote memory holds ≤ 2 bytes per input byte + 16 (hashes
 *   and keys become hex strings);
 * - CPU: ≤ 6 Reader operations per input byte + 8; evidence and vote
 *   memory copy each byte at most twice (a transaction inside a length
 *   prefix is copied, then decoded).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/lib/core/bytes';
import { DecodeError } from '../../../src/lib/core/errors';
import { TxKind, decodeTx, encodeTx } from '../../../src/lib/core/tx';
import { readEvidence, readVote } from '../../../src/lib/core/vote';
import { type VoteMemory, decodeVoteMemory, encodeVoteMemory } from '../../../src/lib/core/vote-memory';
import { heldBytes, metered, READS_FIXED, READS_PER_BYTE } from './support/budget';
import { decoderProperties } from './support/decoder-suite';
import { mutant } from './support/mutate';
import { TXS, VOTE_A, VOTE_B, h } from './support/samples';

const SEEDS = [encodeTx(VOTE_A), encodeTx(VOTE_B)];

describe('fuzz: readVote and readEvidence', () => {
  it('any decodable transaction: readVote gives null or a vote, never a throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutant([...SEEDS, ...TXS.map(encodeTx)]).map((m) => m.bytes),
          fc.uint8Array({ maxLength: 200 }),
        ),
        (bytes) => {
          let tx;
          try {
            tx = decodeTx(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
            return;
          }
          const { value: vote, meter } = metered(() => readVote(tx));
          expect(meter.reads).toBeLessThanOrEqual(READS_PER_BYTE * tx.payload.length + READS_FIXED);
          if (vote) {
            expect(vote.tx).toBe(tx);
            expect(heldBytes({ ...vote, tx: null })).toBeLessThanOrEqual(2 * bytes.length);
          } else expect(vote).toBeNull();
        },
      ),
      { numRuns: 800 },
    );
  });

  it('any two byte strings: readEvidence gives null or two votes, within budget', () => {
    const side = fc.oneof(
      mutant(SEEDS).map((m) => m.bytes),
      fc.constantFrom(...SEEDS),
      fc.uint8Array({ maxLength: 200 }),
    );
    fc.assert(
      fc.property(side, side, (first, second) => {
        const n = first.length + second.length;
        const { value, meter } = metered(() => readEvidence(first, second));
        expect(meter.reads).toBeLessThanOrEqual(READS_PER_BYTE * n + 2 * READS_FIXED);
        expect(meter.copied).toBeLessThanOrEqual(2 * n);
        if (value) expect(heldBytes(value.map((v) => ({ ...v, tx: null })))).toBeLessThanOrEqual(2 * n);
      }),
      { numRuns: 600 },
    );
  });
});

const MEMORY: VoteMemory = {
  height: 12,
  round: 3,
  locked: { block: toHex(h(7)), round: 2 },
  lockProof: [VOTE_A],
  cast: new Map<string, string | null>([
    ['1/1', toHex(h(7))],
    ['2/2', null],
  ]),
  sent: [VOTE_B, TXS.find((t) => t.kind === TxKind.Approval)!],
};

describe('fuzz: decodeVoteMemory', () => {
  decoderProperties({
    decode: (b) => {
      const m = decodeVoteMemory(b);
      if (m === null) throw new DecodeError('NON_CANONICAL', 'refused', 0);
      return m;
    },
    encode: encodeVoteMemory,
    seeds: [encodeVoteMemory(MEMORY), encodeVoteMemory({ ...MEMORY, locked: null, lockProof: [], cast: new Map() })],
    heldPerByte: 2,
    copiesPerByte: 2,
  });
});

describe('vote memory regression (found by this fuzzer): one encoding per memory', () => {
  const bytes = encodeVoteMemory(MEMORY);
  const lockFlagAt = 3; // version, height 12, round 3, then the lock flag

  it('a flag byte other than 0 or 1 is refused (it read as "no lock" and re-encoded as 0)', () => {
    expect(bytes[lockFlagAt]).toBe(1);
    for (const v of [2, 0x80, 0xff]) {
      const bad = bytes.slice();
      bad[lockFlagAt] = v;
      expect(decodeVoteMemory(bad)).toBeNull();
    }
    const unlocked = encodeVoteMemory({ ...MEMORY, locked: null });
    const bad = unlocked.slice();
    bad[lockFlagAt] = 2;
    expect(decodeVoteMemory(unlocked)).not.toBeNull();
    expect(decodeVoteMemory(bad)).toBeNull();
  });

  it('cast slots out of order or given twice are refused', () => {
    const one = encodeVoteMemory({ ...MEMORY, cast: new Map([['1/1', null]]) });
    const two = encodeVoteMemory({
      ...MEMORY,
      cast: new Map([
        ['1/1', null],
        ['2/2', null],
      ]),
    });
    // The cast list: count, then (round, phase, flag) per slot; find it by the difference between the two.
    const at = one.findIndex((b, i) => b !== two[i]);
    expect([one[at], two[at]]).toEqual([1, 2]);
    const slots = (...s: number[][]) => Uint8Array.from([...two.subarray(0, at), s.length, ...s.flat(), ...two.subarray(at + 7)]);
    expect(decodeVoteMemory(slots([1, 1, 0], [2, 2, 0]))).not.toBeNull();
    expect(decodeVoteMemory(slots([2, 2, 0], [1, 1, 0]))).toBeNull();
    expect(decodeVoteMemory(slots([1, 1, 0], [1, 1, 0]))).toBeNull();
  });
});
