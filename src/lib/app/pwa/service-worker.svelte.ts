/**
 * Page side of the service worker (SPEC §7, §9): registers it, offers the
 * update ("a new version is ready — reload") when a new build has installed,
 * and checks `_app/version.json` on start, when the tab comes back to view
 * and every 30 minutes, so a newer build is fetched and a foreign app
 * (this address no longer serving medchain) is never kept alive by our
 * worker: its registration and caches are removed and the page reloads.
 */
import { version } from '$app/environment';
import { judgeVersion, type Freshness } from './freshness';

const CHECK_EVERY_MS = 30 * 60 * 1000;
const CACHE_PREFIX = 'medchain-shell-';

export const pwaState = $state({
  /** A new build has installed and waits for the user. */
  updateReady: false,
  /** The shell is cached: the app starts offline. */
  offlineReady: false,
  /** The last freshness verdict. */
  freshness: 'unknown' as Freshness,
});

let registration: ServiceWorkerRegistration | null = null;
let reloadOnTakeover = false;

function watchInstalling(reg: ServiceWorkerRegistration): void {
  const worker = reg.installing;
  if (!worker) return;
  worker.addEventListener('statechange', () => {
    if (worker.state !== 'installed') return;
    if (navigator.serviceWorker.controller) pwaState.updateReady = true;
    else pwaState.offlineReady = true;
  });
}

/** Asks the server which build it serves, and acts on the verdict. */
export async function checkFreshness(): Promise<Freshness> {
  let status: number;
  let body = '';
  try {
    const response = await fetch(`${location.origin}/_app/version.json`, { cache: 'no-store' });
    status = response.status;
    body = await response.text();
  } catch {
    status = 0;
  }
  const verdict = judgeVersion(status, body, version);
  pwaState.freshness = verdict;
  // An update check that fails (offline, server away) changes nothing: the next visit checks again.
  if (verdict === 'newer') await registration?.update().catch(() => undefined);
  if (verdict === 'foreign') await removeOurselves();
  return verdict;
}

async function removeOurselves(): Promise<void> {
  for (const reg of await navigator.serviceWorker.getRegistrations()) await reg.unregister();
  for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX)) await caches.delete(name);
  location.reload();
}

/** Registers the service worker once (production builds in browsers that have them). */
export async function startServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || registration) return;
  registration = await navigator.serviceWorker.register('/service-worker.js', { scope: '/', updateViaCache: 'none' });
  if (registration.waiting && navigator.serviceWorker.controller) pwaState.updateReady = true;
  if (registration.active && !registration.waiting && !registration.installing) pwaState.offlineReady = true;
  watchInstalling(registration);
  registration.addEventListener('updatefound', () => watchInstalling(registration!));
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloadOnTakeover) location.reload();
  });
  void checkFreshness();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void checkFreshness();
  });
  setInterval(() => void checkFreshness(), CHECK_EVERY_MS);
}

/** The user accepted the update: the waiting build takes over and the page reloads into it. */
export function applyUpdate(): void {
  const waiting = registration?.waiting;
  if (!waiting) return;
  reloadOnTakeover = true;
  waiting.postMessage({ type: 'SKIP_WAITING' });
}
