/**
 * The canonical encoding of ledger values inside a chain-state snapshot
 * (snapshot.ts, issue 7): the plain data the ledger keeps (objects of fixed
 * shape, arrays, strings, non-negative integers, booleans, null). 32-byte
 * ids and keys (most of the ledger) travel as numbers into the snapshot's id
 * table (snapshot-ids.ts), other hex strings as their bytes; an object's
 * keys travel once per shape. Writing and reading are exact inverses, so a value
 * read back is deep-equal to the one written. The writer asserts on values
 * the ledger never holds (our misuse); the reader throws only DecodeError.
 */
import { assert } from './assert';
import { hexToBytes, toHex } from './bytes';
import type { Reader, Writer } from './encoding';
import { DecodeError } from './errors';
import { type IdReader, type IdWriter, isId } from './snapshot-ids';

const Tag = {
  Null: 0,
  False: 1,
  True: 2,
  Int: 3,
  Hex: 4,
  Text: 5,
  List: 6,
  /** An object whose key list was seen before, by number. */
  Shape: 7,
  /** An object with a key list not seen yet: the keys, then the values. */
  NewShape: 8,
  /** A 32-byte id, by its number in the id table. */
  Id: 9,
} as const;

const MAX_TEXT = 1 << 20;
const MAX_ITEMS = 1 << 24;
const MAX_KEYS = 64;
/**
 * Deepest nesting of lists and objects (the ledger's values are two deep).
 * Reading is recursive, so without a limit a few kilobytes of nested lists
 * overflowed the stack: a RangeError, not a DecodeError, escaped the decoder
 * (issue 13, found by tests/unit/fuzz/snapshot.test.ts).
 */
export const MAX_VALUE_DEPTH = 16;
const HEX = /^(?:[0-9a-f]{2})+$/;

/** Object shapes (sorted key lists) numbered in order of first use; one table per snapshot. */
export class Shapes {
  private readonly ids = new Map<string, number>();
  readonly lists: (readonly string[])[] = [];

  /** The number of a key list, and whether it is new. */
  number(keys: readonly string[]): { id: number; fresh: boolean } {
    const name = keys.join('\u0000');
    const known = this.ids.get(name);
    if (known !== undefined) return { id: known, fresh: false };
    this.ids.set(name, this.lists.length);
    this.lists.push(keys);
    return { id: this.lists.length - 1, fresh: true };
  }
}

export function writeValue(w: Writer, v: unknown, shapes: Shapes, ids: IdWriter, depth = 0): void {
  assert(depth <= MAX_VALUE_DEPTH, 'snapshot value: nested deeper than MAX_VALUE_DEPTH');
  if (v === null) w.u8(Tag.Null);
  else if (typeof v === 'boolean') w.u8(v ? Tag.True : Tag.False);
  else if (typeof v === 'number') {
    assert(Number.isSafeInteger(v) && v >= 0, `snapshot value: number ${v} is not a non-negative integer`);
    w.u8(Tag.Int).varuint(v);
  } else if (typeof v === 'string') {
    if (isId(v)) ids.write(w.u8(Tag.Id), v);
    else if (HEX.test(v)) w.u8(Tag.Hex).bytes(hexToBytes(v), MAX_TEXT);
    else w.u8(Tag.Text).string(v, MAX_TEXT);
  } else if (Array.isArray(v)) {
    w.u8(Tag.List).varuint(v.length);
    for (const x of v) writeValue(w, x, shapes, ids, depth + 1);
  } else {
    assert(typeof v === 'object' && v !== undefined && Object.getPrototypeOf(v) === Object.prototype, 'snapshot value: not plain data');
    const keys = Object.keys(v).sort();
    const { id, fresh } = shapes.number(keys);
    if (fresh) {
      w.u8(Tag.NewShape).varuint(keys.length);
      for (const k of keys) w.string(k, MAX_TEXT);
    } else w.u8(Tag.Shape).varuint(id);
    for (const k of keys) writeValue(w, (v as Record<string, unknown>)[k], shapes, ids, depth + 1);
  }
}

export function readValue(r: Reader, shapes: Shapes, ids: IdReader, depth = 0): unknown {
  const at = r.offset;
  if (depth > MAX_VALUE_DEPTH) throw new DecodeError('OVERSIZE', `value nested deeper than ${MAX_VALUE_DEPTH}`, at);
  const tag = r.u8('value tag');
  switch (tag) {
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Int:
      return r.varuint('integer');
    case Tag.Hex: {
      const b = r.bytes(MAX_TEXT, 'hex string');
      if (b.length === 0 || b.length === 32) throw new DecodeError('NON_CANONICAL', 'empty hex string, or an id not in the table', at);
      return toHex(b);
    }
    case Tag.Text: {
      const s = r.string(MAX_TEXT, 'string');
      if (HEX.test(s)) throw new DecodeError('NON_CANONICAL', 'hex written as text', at);
      return s;
    }
    case Tag.List: {
      const out: unknown[] = [];
      for (let n = r.count(MAX_ITEMS, 'list'); n > 0; n--) out.push(readValue(r, shapes, ids, depth + 1));
      return out;
    }
    case Tag.Shape:
    case Tag.NewShape: {
      let keys: readonly string[];
      if (tag === Tag.NewShape) {
        const list: string[] = [];
        for (let n = r.count(MAX_KEYS, 'keys'); n > 0; n--) list.push(r.string(MAX_TEXT, 'key'));
        if (list.some((k, i) => i > 0 && list[i - 1]! >= k) || shapes.number(list).fresh === false)
          throw new DecodeError('NON_CANONICAL', 'object keys not sorted, or a shape given twice', at);
        keys = list;
      } else {
        const id = r.varuint('shape');
        const known = shapes.lists[id];
        if (!known) throw new DecodeError('OUT_OF_RANGE', `unknown shape ${id}`, at);
        keys = known;
      }
      const out: Record<string, unknown> = {};
      for (const k of keys) out[k] = readValue(r, shapes, ids, depth + 1);
      return out;
    }
    case Tag.Id:
      return ids.read(r, 'id');
    default:
      throw new DecodeError('UNKNOWN_KIND', `unknown value tag ${tag}`, at);
  }
}
