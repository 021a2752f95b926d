/**
 * Is the server still serving this app, and the same build? (SPEC §9: the
 * service worker must never leave a stale or foreign app in place.) The page
 * asks for `_app/version.json` past every cache and judges the answer here:
 * - `same`: nothing to do;
 * - `newer`: another build is deployed: ask the service worker to update
 *   (the update prompt follows once it has installed);
 * - `foreign`: this address answers, but not with a medchain build (missing
 *   file, or not our JSON): the service worker and its caches must go so the
 *   browser shows what the address now serves;
 * - `unknown`: no answer (offline, server error): keep the cached shell.
 */

export type Freshness = 'same' | 'newer' | 'foreign' | 'unknown';

/** `status` is the HTTP status (0 for a network failure), `body` the response text. */
export function judgeVersion(status: number, body: string, ourVersion: string): Freshness {
  if (status === 0 || status >= 500) return 'unknown';
  if (status === 404 || status === 410) return 'foreign';
  if (status !== 200) return 'unknown';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'foreign';
  }
  const version = typeof parsed === 'object' && parsed !== null ? (parsed as { version?: unknown }).version : undefined;
  if (typeof version !== 'string' || version === '') return 'foreign';
  return version === ourVersion ? 'same' : 'newer';
}
