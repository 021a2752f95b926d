/**
 * Which notices a person has read, and which the system notifications
 * already announced (issue 15: "read/unread state kept on the device"). Kept
 * per person in the device's storage under a hash of the person's id — the
 * id itself is never written beside its inbox — behind {@link KeyValueStore}
 * so tests and the browser share the logic. Ids are the notices' stable ids
 * (notice.ts); the newest {@link MAX_IDS} of each set are kept.
 */
import { toHex } from '../../core/bytes';
import { sha256 } from '../../core/hash';

/** The storage a read state lives in: localStorage in the browser (browserStore), a Map in tests (memoryStore). */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/** How many ids of each set are kept: far more than an inbox of INBOX_DAYS (notice.ts) holds. */
export const MAX_IDS = 2000;

/** The storage key of `person`'s inbox state: a hash of the id, so the device's storage does not list who uses it. */
export function inboxKey(person: string): string {
  return `medchain.inbox.${toHex(sha256(new TextEncoder().encode(`medchain inbox/${person}`))).slice(0, 32)}`;
}

/** One person's read and announced notice ids, loaded from and saved to the store on each change. */
export class ReadState {
  private readonly key: string;
  private read: string[];
  private told: string[];

  constructor(
    private readonly store: KeyValueStore,
    person: string,
  ) {
    this.key = inboxKey(person);
    const saved = parse(store.get(this.key));
    this.read = saved.read;
    this.told = saved.told;
  }

  isRead(id: string): boolean {
    return this.read.includes(id);
  }

  /** Whether a system notification was raised (or deliberately not) for `id`. */
  isTold(id: string): boolean {
    return this.told.includes(id);
  }

  /** Marks `ids` read; returns whether anything changed. */
  markRead(ids: readonly string[]): boolean {
    const fresh = ids.filter((id) => !this.read.includes(id));
    if (fresh.length === 0) return false;
    this.read = [...this.read, ...fresh].slice(-MAX_IDS);
    this.save();
    return true;
  }

  /** Marks `ids` as announced (or passed over): no system notification is raised for them later. */
  markTold(ids: readonly string[]): void {
    const fresh = ids.filter((id) => !this.told.includes(id));
    if (fresh.length === 0) return;
    this.told = [...this.told, ...fresh].slice(-MAX_IDS);
    this.save();
  }

  private save(): void {
    this.store.set(this.key, JSON.stringify({ read: this.read, told: this.told }));
  }
}

function parse(text: string | null): { read: string[]; told: string[] } {
  try {
    const v: unknown = text ? JSON.parse(text) : null;
    const ids = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
    return v && typeof v === 'object' ? { read: ids((v as { read?: unknown }).read), told: ids((v as { told?: unknown }).told) } : { read: [], told: [] };
  } catch {
    // A damaged entry (edited by hand, cut short) starts the inbox afresh: everything shows unread once.
    return { read: [], told: [] };
  }
}

/** The browser's localStorage; storage that is blocked (private mode, policy) keeps the state for this visit only. */
export function browserStore(): KeyValueStore {
  const memory = memoryStore();
  return {
    get(key) {
      try {
        return globalThis.localStorage?.getItem(key) ?? memory.get(key);
      } catch {
        return memory.get(key); // storage blocked: this visit's copy
      }
    },
    set(key, value) {
      memory.set(key, value);
      try {
        globalThis.localStorage?.setItem(key, value);
      } catch {
        // blocked or full: kept in memory for this visit, the inbox still works
      }
    },
  };
}

/** A store in memory: the tests' twin of localStorage, and what survives "a reload" in them when shared. */
export function memoryStore(): KeyValueStore & { readonly entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return { entries, get: (key) => entries.get(key) ?? null, set: (key, value) => void entries.set(key, value) };
}
