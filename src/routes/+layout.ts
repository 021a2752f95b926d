// medchain is a static single-page app: every tab is a full node and all work
// happens in the browser. There is no server rendering and nothing is
// prerendered; adapter-static writes a single fallback index.html.
export const ssr = false;
export const prerender = false;

import { languageReady } from '$lib/app/i18n/locale.svelte';

/** The first screen waits for the chosen language's messages (i18n/catalogue.ts: only English is in the entry chunk). */
export const load = async (): Promise<Record<string, never>> => {
  await languageReady();
  return {};
};
