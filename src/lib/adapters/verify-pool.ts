/**
 * Signature checks on Web Workers (issue 7). Chromium's WebCrypto verifies
 * Ed25519 on the thread that calls it, so thousands of checks on the page's
 * thread hold up everything else the page does (validating blocks, writing
 * them). A pool of verifying workers (verify.worker.ts) takes a batch split
 * in one part per worker, each part one transferred buffer
 * (verify-batch.ts), and answers in order. A worker that fails (did not
 * load, threw, answered garbage) is dropped and its parts are checked by
 * the `fallback` instead; the answers are the same either way (both run the
 * shared precheck, then WebCrypto). When even the fallback fails the batch
 * is rejected: no answer is better than a wrong one (the core then checks
 * those signatures itself).
 */
import type { SignatureCheck } from '../core/net/block-signatures';
import { asVerifyAnswer, packChecks } from './verify-batch';

/** Checks a batch: one answer per check, in order. */
export type BatchVerifier = (items: readonly SignatureCheck[]) => Promise<boolean[]>;

/** What the pool needs of a worker (a DOM Worker, or a test's twin). */
export interface VerifyWorker {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', cb: (e: { data: unknown }) => void): void;
  addEventListener(type: 'error', cb: () => void): void;
  terminate(): void;
}

interface Part {
  readonly items: readonly SignatureCheck[];
  readonly done: (results: boolean[]) => void;
  readonly failed: (e: unknown) => void;
}

/** Fewer checks than this per worker are not worth a message: they stay together. */
const MIN_PART = 64;

export class VerifyPool {
  private readonly workers: { w: VerifyWorker; alive: boolean; waiting: Map<number, Part> }[] = [];
  private nextId = 1;

  constructor(
    spawn: () => VerifyWorker,
    size: number,
    private readonly fallback: BatchVerifier,
  ) {
    for (let n = 0; n < size; n++) {
      let w: VerifyWorker;
      try {
        w = spawn();
      } catch {
        continue;
      }
      const slot = { w, alive: true, waiting: new Map<number, Part>() };
      w.addEventListener('message', (e) => this.answered(slot, e.data));
      w.addEventListener('error', () => this.fail(slot));
      this.workers.push(slot);
    }
  }

  /** Workers still working. */
  get size(): number {
    return this.workers.filter((s) => s.alive).length;
  }

  /** Checks a batch across the live workers (the fallback when none is left); answers in order. */
  verify(items: readonly SignatureCheck[]): Promise<boolean[]> {
    const live = this.workers.filter((s) => s.alive);
    if (live.length === 0 || items.length === 0) return this.fallback(items);
    const parts = Math.max(1, Math.min(live.length, Math.floor(items.length / MIN_PART)));
    const per = Math.ceil(items.length / parts);
    const answers: Promise<boolean[]>[] = [];
    for (let p = 0; p < parts; p++) {
      const slice = items.slice(p * per, (p + 1) * per);
      answers.push(new Promise((done, failed) => this.send(live[p]!, { items: slice, done, failed })));
    }
    return Promise.all(answers).then((r) => r.flat());
  }

  close(): void {
    for (const s of this.workers) this.fail(s);
  }

  private send(slot: (typeof this.workers)[number], part: Part): void {
    const id = this.nextId++;
    const checks = packChecks(part.items);
    slot.waiting.set(id, part);
    try {
      slot.w.postMessage({ id, checks }, [checks.buffer]);
    } catch {
      this.fail(slot);
    }
  }

  private answered(slot: (typeof this.workers)[number], data: unknown): void {
    const a = asVerifyAnswer(data);
    const part = a ? slot.waiting.get(a.id) : undefined;
    if (!a || !part || !a.results || a.results.length !== part.items.length) return this.fail(slot);
    slot.waiting.delete(a.id);
    part.done(Array.from(a.results, (r) => r === 1));
  }

  /** Drops a worker; what it was asked is checked by the fallback. */
  private fail(slot: (typeof this.workers)[number]): void {
    if (!slot.alive) return;
    slot.alive = false;
    try {
      slot.w.terminate();
    } catch {
      // already gone
    }
    const waiting = [...slot.waiting.values()];
    slot.waiting.clear();
    for (const part of waiting) void this.fallback(part.items).then(part.done, part.failed);
  }
}
