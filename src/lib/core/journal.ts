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
}
