/**
 * When a relay client loses its slot for holding it without using it
 * (issue 13, defect 6): slots are the relay's scarce resource, and a client
 * that only answers WebSocket pings — which any socket library does by
 * itself — would otherwise keep one forever. Pure decisions over each
 * client's activity and the injected clock; the server acts on them.
 */
import type { RelayLimits } from './limits';

/** What these decisions read of a client (hub.ts `Client`). */
export interface Activity {
  /** When the relay last accepted a frame from the client (joining counts as one). */
  readonly lastFrameAt: number;
  /** Since when the client has held no topic; null while it holds one. */
  readonly bareSince: number | null;
}

/** Why a client's slot expired on its own, or null while it may keep it. */
export function expiry(client: Activity, now: number, limits: RelayLimits): 'NO_SUBSCRIBE' | 'IDLE' | null {
  if (client.bareSince !== null && now - client.bareSince > limits.subscribeGraceMs) return 'NO_SUBSCRIBE';
  if (now - client.lastFrameAt > limits.idleMs) return 'IDLE';
  return null;
}

/**
 * How often the server checks {@link expiry}: often enough that the short
 * subscribe grace is kept to within a quarter of itself, and never less
 * often than the heartbeat. A check is one pass over at most `maxClients`.
 */
export function sweepEveryMs(limits: RelayLimits): number {
  return Math.max(10, Math.min(limits.heartbeatMs, Math.floor(limits.subscribeGraceMs / 4)));
}

/** True once `clients` reach `pressureFraction` of `maxClients`. */
export function underPressure(clients: number, limits: RelayLimits): boolean {
  return clients >= Math.ceil(limits.maxClients * limits.pressureFraction);
}

/**
 * The client to close so a newcomer fits under pressure: the one idle the
 * longest, provided it has been idle longer than `pressureIdleMs` (a client
 * that is signalling is never pushed out by newcomers); null if none is.
 */
export function pressureVictim<T extends Activity>(clients: Iterable<T>, now: number, limits: RelayLimits): T | null {
  let victim: T | null = null;
  for (const c of clients) {
    if (now - c.lastFrameAt > limits.pressureIdleMs && (victim === null || c.lastFrameAt < victim.lastFrameAt)) victim = c;
  }
  return victim;
}
