/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The service worker (SPEC §7, §9): precaches the app shell so the app
 * starts offline, and is built so that it can never be left serving a stale
 * or foreign app:
 * - one cache per build (`medchain-shell-<version>`), filled completely at
 *   install or the install fails; the build's `_app/version.json` must name
 *   this worker's build, so a half-deployed server (new worker, old files or
 *   the reverse) never becomes the shell;
 * - a new build waits until the page accepts the update prompt, then takes
 *   over and deletes every older shell cache;
 * - only same-origin GETs of precached files and page navigations are
 *   answered; everything else (including `_app/version.json`, which the page
 *   polls to notice a newer or a foreign app) goes to the network untouched;
 * - nothing is cached at run time, so nothing from outside the build list
 *   can enter the cache.
 * The precache list is injected at build time by vite-plugin-pwa.
 */
import { version } from '$service-worker';

interface PrecacheEntry {
	readonly url: string;
	readonly revision: string | null;
}

const sw = self as unknown as ServiceWorkerGlobalScope;
const PREFIX = 'medchain-shell-';
const CACHE = PREFIX + version;
// Written out in full: the build replaces exactly `self.__WB_MANIFEST` with the list.
const ENTRIES: PrecacheEntry[] = (self as unknown as { __WB_MANIFEST: PrecacheEntry[] }).__WB_MANIFEST;
const SHELL = new URL('index.html', sw.registration.scope).href;
const PRECACHED = new Set(ENTRIES.map((e) => new URL(e.url, sw.registration.scope).href));

async function precache(): Promise<void> {
	const versionUrl = new URL('_app/version.json', sw.registration.scope);
	const served = await fetch(versionUrl, { cache: 'no-store' });
	const body: unknown = served.ok ? await served.json() : null;
	if (typeof body !== 'object' || body === null || (body as { version?: unknown }).version !== version) {
		throw new Error('the server is not serving the build this service worker belongs to');
	}
	const cache = await caches.open(CACHE);
	await Promise.all(
		[...PRECACHED].map(async (url) => {
			const response = await fetch(url, { cache: 'no-cache' });
			if (!response.ok || response.type !== 'basic') throw new Error(`precache failed (${response.status})`);
			await cache.put(url, response);
		})
	);
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		precache().catch(async (error: unknown) => {
			await caches.delete(CACHE);
			throw error;
		})
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	url.hash = '';
	url.search = '';
	const key = request.mode === 'navigate' ? SHELL : PRECACHED.has(url.href) ? url.href : null;
	if (key === null) return;
	event.respondWith(
		(async () => {
			const cached = await (await caches.open(CACHE)).match(key);
			return cached ?? fetch(request);
		})()
	);
});
