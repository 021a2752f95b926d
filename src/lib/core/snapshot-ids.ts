/**
 * The 32-byte ids of a chain-state snapshot (issue 7: a start decodes the
 * snapshot fast). Hashes, ids and keys (transaction ids, validators, most
 * ledger values) are written once each, as bytes, in a table before the
 * body; the body names them by number. The same patient, hospital or author
 * appears thousands of times in the ledger: each is turned into its hex
 * string once, and the whole table in one call.
 *
 * Canonical: the table holds distinct ids in order of first use, so a
 * reference is either a known number or exactly the next one; the reader
 * refuses anything else, and a table entry never used (DecodeError).
 */
import { hexToBytes, toHex } from './bytes';
import type { Reader, Writer } from './encoding';
import { DecodeError } from './errors';
import { HASH_BYTES } from './hash';

const HEX_CHARS = 2 * HASH_BYTES;
const ID = /^[0-9a-f]{64}$/;
/** Most distinct ids a snapshot may hold. */
const MAX_IDS = 1 << 24;

/** Whether `s` is written as an id (64 lowercase hex digits). */
export const isId = (s: string): boolean => s.length === HEX_CHARS && ID.test(s);

/** Numbers ids in order of first use while the body is written. */
export class IdWriter {
  private readonly numbers = new Map<string, number>();
  private readonly order: string[] = [];

  /** Writes the reference to id `hex` (which must pass {@link isId}). */
  write(w: Writer, hex: string): void {
    let n = this.numbers.get(hex);
    if (n === undefined) this.numbers.set(hex, (n = this.order.push(hex) - 1));
    w.varuint(n);
  }

  /** The table: count, then each id's bytes. */
  writeTable(w: Writer): void {
    w.varuint(this.order.length);
    for (const hex of this.order) w.fixed(hexToBytes(hex), HASH_BYTES);
  }
}

/** Reads the table, then resolves the body's references in order of first use. */
export class IdReader {
  private readonly hex: string;
  private readonly count: number;
  private used = 0;

  constructor(r: Reader) {
    const at = r.offset;
    this.count = r.count(MAX_IDS, 'ids');
    // One hex string for the whole table; each id is a slice of it.
    this.hex = toHex(r.fixed(this.count * HASH_BYTES, 'ids'));
    const seen = new Set<string>();
    for (let i = 0; i < this.count; i++) seen.add(this.at(i));
    if (seen.size !== this.count) throw new DecodeError('NON_CANONICAL', 'an id is in the table twice', at);
  }

  private at(i: number): string {
    return this.hex.slice(i * HEX_CHARS, (i + 1) * HEX_CHARS);
  }

  /** The id a reference names. */
  read(r: Reader, what: string): string {
    const at = r.offset;
    const n = r.varuint(what);
    if (n > this.used || n >= this.count) throw new DecodeError('NON_CANONICAL', `${what}: id ${n} out of first-use order`, at);
    if (n === this.used) this.used++;
    return this.at(n);
  }

  /** After the body: every id was used. */
  end(r: Reader): void {
    if (this.used !== this.count) throw new DecodeError('NON_CANONICAL', `${this.count - this.used} ids never used`, r.offset);
  }
}
