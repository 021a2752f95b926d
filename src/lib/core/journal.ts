/**
 * Maps whose changes can be undone block by block, like Bitcoin's undo data:
 * connecting a block records every overwritten value in a journal, and
 * disconnecting it (a reorganisation) plays the journal backwards. The
 * ledger's state is always exactly the state after the active chain's tip,
 * and no copy of it is ever made.
 */
import { assert } from './assert';

/** One recorded change: how to put a map entry back as it was. */
type Change = () => void;

/** The changes made while connecting one block, in order. */
export class Journal {
  private readonly changes: Change[] = [];
  private sealed = false;

  /** @internal */
  record(change: Change): void {
    assert(!this.sealed, 'change recorded in a sealed journal');
    this.changes.push(change);
  }

  /** No more changes may be recorded (the block is connected). */
  seal(): void {
    this.sealed = true;
  }

  /** Undoes every change, newest first. */
  undo(): void {
    for (let i = this.changes.length - 1; i >= 0; i--) this.changes[i]!();
    this.changes.length = 0;
  }
}

/** A Map that records every change in the current journal. Values are treated as immutable. */
export class JournaledMap<V> {
  private readonly map = new Map<string, V>();
  private journal: Journal | null = null;

  /** Starts recording into `journal` (null: changes cannot be made). */
  attach(journal: Journal | null): void {
    this.journal = journal;
  }

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get size(): number {
    return this.map.size;
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }

  set(key: string, value: V): void {
    const j = this.journal;
    assert(j !== null, 'ledger change outside a block');
    const had = this.map.has(key);
    const old = this.map.get(key);
    j.record(() => (had ? this.map.set(key, old as V) : this.map.delete(key)));
    this.map.set(key, value);
  }

  /** @internal Fills an empty map outside any block (a restored snapshot, snapshot.ts). */
  seed(key: string, value: V): void {
    assert(this.journal === null && !this.map.has(key), 'seed of a map being changed, or twice');
    this.map.set(key, value);
  }
}

/**
 * Append-only lists by key (a patient's index of what concerns them). An
 * append is undone by cutting the list back to its length, so the undo data
 * of a block is a few numbers: copying the list on every append, as a
 * {@link JournaledMap} of arrays must, keeps every old copy alive in the
 * journals (quadratic memory, issue 7).
 */
export class JournaledLists {
  private readonly map = new Map<string, string[]>();
  private journal: Journal | null = null;

  /** Starts recording into `journal` (null: changes cannot be made). */
  attach(journal: Journal | null): void {
    this.journal = journal;
  }

  /** A copy of the list (later appends do not show in it). */
  get(key: string): readonly string[] | undefined {
    return this.map.get(key)?.slice();
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get size(): number {
    return this.map.size;
  }

  /** Every list, by key (read-only views: do not keep them across blocks). */
  entries(): IterableIterator<[string, readonly string[]]> {
    return this.map.entries();
  }

  append(key: string, value: string): void {
    const j = this.journal;
    assert(j !== null, 'ledger change outside a block');
    const list = this.map.get(key);
    if (list) {
      const length = list.length;
      j.record(() => void (list.length = length));
      list.push(value);
    } else {
      j.record(() => void this.map.delete(key));
      this.map.set(key, [value]);
    }
  }

  /** @internal Fills an empty key outside any block (a restored snapshot). */
  seed(key: string, values: readonly string[]): void {
    assert(this.journal === null && !this.map.has(key), 'seed of lists being changed, or twice');
    this.map.set(key, [...values]);
  }
}
