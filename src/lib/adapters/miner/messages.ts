/**
 * The messages between the page and the miner's Web Worker (SPEC §5, §9:
 * bad input never crashes a node). Both sides check every message they
 * receive: anything malformed, of an unknown kind or out of range is
 * ignored (null), never thrown. The worker sends the loop's outcomes as they
 * are ({@link LoopOutcome}); the page sends a job or a stop.
 */
import { MAX_NONCE } from '../../core/pow';
import { isBytes, isCount, isJob, type LoopOutcome } from './loop';
import type { MineJob } from './types';

export type ToWorker = { readonly kind: 'start'; readonly job: MineJob } | { readonly kind: 'stop' };

function record(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** A message for the worker, or null when it is not one. */
export function parseToWorker(data: unknown): ToWorker | null {
  const m = record(data);
  if (m?.kind === 'stop') return { kind: 'stop' };
  if (m?.kind === 'start' && isJob(m.job)) return { kind: 'start', job: m.job };
  return null;
}

/** A message from the worker, or null when it is not one. */
export function parseFromWorker(data: unknown): LoopOutcome | null {
  const m = record(data);
  if (m === null) return null;
  if (m.kind === 'found') {
    const f = record(m.found);
    if (f && isCount(f.jobId, 1) && isCount(f.nonce, 0) && (f.nonce as number) <= MAX_NONCE && isBytes(f.hash, 32) && isCount(f.tried, 1))
      return { kind: 'found', found: { jobId: f.jobId, nonce: f.nonce as number, hash: f.hash, tried: f.tried } };
  } else if (m.kind === 'progress') {
    const p = record(m.progress);
    if (p && isCount(p.jobId, 1) && isCount(p.tried, 0) && typeof p.rate === 'number' && Number.isFinite(p.rate) && p.rate >= 0)
      return { kind: 'progress', progress: { jobId: p.jobId, tried: p.tried as number, rate: p.rate } };
  } else if (m.kind === 'exhausted') {
    const e = record(m.exhausted);
    if (e && isCount(e.jobId, 1) && isCount(e.tried, 1)) return { kind: 'exhausted', exhausted: { jobId: e.jobId, tried: e.tried as number } };
  }
  return null;
}
