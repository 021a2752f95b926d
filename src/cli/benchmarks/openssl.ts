/**
 * The native limit of the hash rate (issue 7): one core's SHA-256 through
 * OpenSSL, `openssl speed -seconds 3 -bytes 16384 -evp sha256`, whose last
 * line reads `sha256   1767863.94k` — thousands of bytes per second. One
 * SHA-256 compression eats 64 bytes, so compressions/s = bytes/s ÷ 64.
 */

export const OPENSSL_SPEED_ARGS = ['speed', '-seconds', '3', '-bytes', '16384', '-evp', 'sha256'] as const;

/** Bytes per second from `openssl speed` output; null when no sha256 line carries a number. */
export function parseOpensslSpeed(output: string): number | null {
  for (const line of output.split('\n').reverse()) {
    const m = /^\s*sha256\s+([0-9]+(?:\.[0-9]+)?)k\s*$/i.exec(line);
    if (m) return Number(m[1]) * 1000;
  }
  return null;
}

/** SHA-256 compressions per second for a rate in bytes per second (64-byte blocks). */
export function compressionsPerSecond(bytesPerSecond: number): number {
  return bytesPerSecond / 64;
}
