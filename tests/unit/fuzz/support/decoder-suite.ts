/**
 * One property suite for any decoder of untrusted bytes (issue 13): it is
 * fed arbitrary bytes, mutations of valid encodings, and every valid
 * encoding with a huge length planted at each offset, and must
 *
 * - never throw anything but a {@link DecodeError} (a result-returning
 *   decoder is adapted to throw one for its error result, so it must never
 *   throw at all);
 * - give back exactly its input when what it decoded is encoded again
 *   (canonical encoding), where an encoder exists;
 * - hold at most `heldPerByte` bytes per input byte (+ HELD_FIXED) in what
 *   it returns (support/budget.ts `heldBytes`: bytes, strings, and one per
 *   list item or field), and copy at most `copiesPerByte`;
 * - spend at most READS_PER_BYTE Reader operations per input byte (plus
 *   READS_FIXED): linear work, whatever the bytes claim;
 * - never be granted a copy longer than its input, nor keep an allocation
 *   of the size a 2^31 length claims.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type DecodeCode, DecodeError } from '../../../../src/lib/core/errors';
import { ALLOCATION_SLACK, attempt, externalGrowth, heldBytes, metered, READS_FIXED, READS_PER_BYTE } from './budget';
import { hugePrefixes, mutant } from './mutate';

export interface DecoderSpec<T> {
  /** Decodes all of `bytes`; throws DecodeError on bad input. */
  readonly decode: (bytes: Uint8Array) => T;
  /** Encodes a decoded value again; when given, a decode must round-trip to the same bytes. */
  readonly encode?: (value: T) => Uint8Array;
  /** Valid encodings to mutate (each must decode). */
  readonly seeds: readonly Uint8Array[];
  /** Bytes the decoded value may hold per input byte (2 where the decoder turns bytes into hex). */
  readonly heldPerByte?: number;
  /** Bytes the Reader may copy per input byte (the nesting depth of length-prefixed encodings). */
  readonly copiesPerByte?: number;
  /** False for decoders that do not read through the core Reader (text and JSON decoders). */
  readonly metered?: boolean;
  readonly runs?: { readonly random?: number; readonly mutants?: number };
  /** Longest arbitrary input. */
  readonly maxRandomBytes?: number;
}

/**
 * Bytes any decoded value may hold besides its per-byte share: the few
 * fields a decoder adds that are not read (a payload's `kind`, a block
 * message's `size`).
 */
export const HELD_FIXED = 16;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

function fail(what: string, bytes: Uint8Array, detail: string): never {
  throw new Error(`${what} (${detail}) for input of ${bytes.length} bytes: ${Buffer.from(bytes).toString('hex').slice(0, 400)}`);
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Decodes one input and checks every budget; returns the outcome for further
 * checks. (Plain comparisons, not `expect`, keep tens of thousands of
 * decodes fast.)
 */
export function checkDecode<T>(spec: DecoderSpec<T>, bytes: Uint8Array): Outcome<T> {
  const { value: outcome, meter } = metered(() => attempt(() => spec.decode(bytes)));
  if (spec.metered !== false) {
    if (meter.reads > READS_PER_BYTE * bytes.length + READS_FIXED) fail('over the CPU budget', bytes, `${meter.reads} Reader operations`);
    if (meter.copied > (spec.copiesPerByte ?? 1) * bytes.length) fail('over the copy budget', bytes, `${meter.copied} bytes copied`);
    if (meter.largestGrant > bytes.length) fail('a copy longer than the input', bytes, `${meter.largestGrant} bytes`);
  }
  if (outcome.ok) {
    const held = heldBytes(outcome.value, bytes);
    if (held > (spec.heldPerByte ?? 1) * bytes.length + HELD_FIXED) fail('over the memory budget', bytes, `${held} bytes held`);
    if (spec.encode && !sameBytes(spec.encode(outcome.value), bytes)) fail('not canonical: encoding the decoded value gives other bytes', bytes, 'round trip');
  }
  return outcome;
}

/** Registers the suite's tests (inside the caller's `describe`). */
export function decoderProperties<T>(spec: DecoderSpec<T>): void {
  it('valid seeds decode, within budget', () => {
    for (const s of spec.seeds) expect(checkDecode(spec, s).ok).toBe(true);
  });

  it('arbitrary bytes: a coded refusal or a canonical value, within budget', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: spec.maxRandomBytes ?? 512 }), (bytes) => void checkDecode(spec, bytes)),
      { numRuns: spec.runs?.random ?? 300 },
    );
  });

  it('mutated valid encodings: a coded refusal or a canonical value, within budget', () => {
    fc.assert(
      fc.property(mutant(spec.seeds), ({ bytes }) => void checkDecode(spec, bytes)),
      { numRuns: spec.runs?.mutants ?? 600 },
    );
  });

  it('a huge length planted at any offset is refused or read without allocating what it claims', () => {
    for (const seed of spec.seeds) {
      const codes = new Set<string>();
      const growth = externalGrowth(() => {
        for (const bytes of hugePrefixes(seed)) {
          const out = checkDecode(spec, bytes);
          if (!out.ok) codes.add(out.error.code);
        }
      });
      expect(growth).toBeLessThan(ALLOCATION_SLACK);
      if (seed.length > 0) expect(codes.size).toBeGreaterThan(0);
    }
  });
}

/**
 * Adapts a result-returning decoder (which must never throw) to the suite:
 * its error result becomes a DecodeError with the same code, and any throw
 * at all becomes a plain Error, which fails the property.
 */
export function fromResult<R extends { ok: boolean }, T>(
  decode: (bytes: Uint8Array) => R,
  value: (ok: R) => T,
  code: (err: R) => DecodeCode = () => 'NON_CANONICAL',
): (bytes: Uint8Array) => T {
  return (bytes) => {
    let r: R;
    try {
      r = decode(bytes);
    } catch (e) {
      throw new Error(`a result-returning decoder threw: ${String(e)}`, { cause: e });
    }
    if (!r.ok) throw new DecodeError(code(r), 'refused', 0);
    return value(r);
  };
}
