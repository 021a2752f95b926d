import { screensReady } from '$lib/app/i18n/locale.svelte';

/** This mode's screens wait for their words (only the first screen's are in the entry chunk: i18n/catalogue.ts). */
export const load = async (): Promise<Record<string, never>> => {
  await screensReady();
  return {};
};
