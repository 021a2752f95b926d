/** The slot-keeping rules (keepalive.ts) on their own, with plain numbers for time. */
import { describe, expect, it } from 'vitest';
import { expiry, pressureVictim, sweepEveryMs, underPressure } from '../../../src/relay/keepalive';
import { DEFAULT_LIMITS } from '../../../src/relay/limits';

const limits = { ...DEFAULT_LIMITS, idleMs: 5_000, subscribeGraceMs: 1_000, pressureIdleMs: 2_000, maxClients: 10, pressureFraction: 0.9 };

describe('expiry', () => {
  it('is NO_SUBSCRIBE after the grace without a topic, IDLE after idleMs without an accepted frame, else null', () => {
    expect(expiry({ lastFrameAt: 0, bareSince: 0 }, 1_000, limits)).toBeNull();
    expect(expiry({ lastFrameAt: 900, bareSince: 0 }, 1_001, limits)).toBe('NO_SUBSCRIBE');
    expect(expiry({ lastFrameAt: 0, bareSince: null }, 5_000, limits)).toBeNull();
    expect(expiry({ lastFrameAt: 0, bareSince: null }, 5_001, limits)).toBe('IDLE');
  });

  it('is checked often enough to keep the grace to within a quarter', () => {
    expect(sweepEveryMs(DEFAULT_LIMITS)).toBe(2_500);
    expect(sweepEveryMs({ ...DEFAULT_LIMITS, heartbeatMs: 20 })).toBe(20);
  });
});

describe('pressure', () => {
  it('starts at pressureFraction of maxClients', () => {
    expect(underPressure(8, limits)).toBe(false);
    expect(underPressure(9, limits)).toBe(true);
  });

  it('picks the longest-idle client over pressureIdleMs, never an active one', () => {
    const a = { lastFrameAt: 500, bareSince: null };
    const b = { lastFrameAt: 100, bareSince: null };
    const c = { lastFrameAt: 2_500, bareSince: null };
    expect(pressureVictim([a, b, c], 3_000, limits)).toBe(b);
    expect(pressureVictim([a, c], 3_000, limits)).toBe(a);
    expect(pressureVictim([c], 3_000, limits)).toBeNull();
    expect(pressureVictim([], 3_000, limits)).toBeNull();
  });
});
