/**
 * A token bucket (SPEC §6: spam is misbehaviour). A peer may send `burst`
 * unsolicited messages at once and `perSecond` on average; the clock is
 * injected (milliseconds).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.last = nowMs;
  }

  /** Takes one token; false when the bucket is empty (the peer is over its rate). */
  take(nowMs: number): boolean {
    if (nowMs > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) * this.perSecond) / 1000);
      this.last = nowMs;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
