/**
 * Fuzzing the chain-state snapshot a node loads at start (issue 13). Its
 * checksum is an unkeyed hash, so damaged or crafted storage can carry any
 * bytes with a matching checksum: the fuzzer mutates the body and computes
 * the checksum again, reaching every field behind it.
 *
 * Budgets:
 * - throws: only DecodeError (startFromSnapshot then replays every block);
 * - canonical: encode(decode(b)) = b;
 * - memory: the decoded snapshot holds ≤ 2 bytes per input byte + 16 (ids and
 *   hashes become hex; an id used many times is one string); values nest at
 *   most MAX_VALUE_DEPTH deep;
 * - CPU: ≤ 6 Reader operations per input byte + 8, plus one hash of the input.
 */
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../../src/lib/core/assert';
import { concatBytes } from '../../../src/lib/core/bytes';
import { demoChain } from '../../../src/lib/core/demo';
import { DecodeError } from '../../../src/lib/core/errors';
import { taggedHash } from '../../../src/lib/core/hash';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { type ChainSnapshot, decodeSnapshot, encodeSnapshot } from '../../../src/lib/core/snapshot';
import { MAX_VALUE_DEPTH } from '../../../src/lib/core/snapshot-value';
import { decoderProperties } from './support/decoder-suite';

/** snapshot.ts's checksum: the tagged hash of everything before it. */
const withChecksum = (body: Uint8Array) => concatBytes(body, taggedHash('medchain/snapshot', body));
const bodyOf = (s: ChainSnapshot) => encodeSnapshot(s).slice(0, -32);

const demo = demoChain({ blocks: 4, seed: 'fuzz-snapshot', params: TEST_PARAMS });
demo.chain.markFinal(demo.chain.atHeight(2)!.key);
const SMALL: ChainSnapshot = {
  networkId: 'medchain-test',
  blocks: [],
  validators: [],
  ledger: [
    {
      name: 'things',
      entries: [
        ['a', { list: [1, 'x', null, true, 'abcd'], n: 0 }],
        ['b', { list: [[], [false]], n: 7 }],
      ],
    },
  ],
};

describe('fuzz: decodeSnapshot (checksum recomputed after each mutation)', () => {
  decoderProperties({
    decode: (body) => decodeSnapshot(withChecksum(body)),
    encode: bodyOf,
    seeds: [bodyOf(demo.chain.snapshot()), bodyOf(SMALL)],
    heldPerByte: 2,
    runs: { random: 200, mutants: 500 },
  });
});

/** SMALL's bytes with one list nested `depth` deep as the value of entry 'b'. */
function nested(depth: number): Uint8Array {
  const body = bodyOf({ ...SMALL, ledger: [{ name: 'things', entries: [['b', [[]]]] }] });
  const hex = Buffer.from(body).toString('hex');
  const at = hex.lastIndexOf('06010600') / 2; // list of one: list of none
  const inner = new Uint8Array(2 * (depth - 2)).map((_, i) => (i % 2 ? 1 : 6));
  return withChecksum(concatBytes(body.subarray(0, at), inner, body.subarray(at)));
}

describe('snapshot regression (found by this fuzzer): deep nesting is a DecodeError, not a stack overflow', () => {
  it('values nested up to the limit decode; 20,000 deep (40 KB) is refused as OVERSIZE', () => {
    expect(() => decodeSnapshot(nested(MAX_VALUE_DEPTH))).not.toThrow();
    for (const depth of [MAX_VALUE_DEPTH + 2, 20_000]) {
      let caught: unknown;
      try {
        decodeSnapshot(nested(depth));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(DecodeError);
      expect((caught as DecodeError).code).toBe('OVERSIZE');
    }
  });

  it('the writer refuses to nest deeper than the reader reads (our bug, an AssertionError)', () => {
    let deep: unknown = [];
    for (let i = 0; i < MAX_VALUE_DEPTH + 1; i++) deep = [deep];
    expect(() => encodeSnapshot({ ...SMALL, ledger: [{ name: 't', entries: [['k', deep]] }] })).toThrow(AssertionError);
  });
});
