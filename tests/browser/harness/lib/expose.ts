/**
 * Page side of the browser harness: a page module puts its test API on
 * `window.harness` and then sets `window.harnessReady`, which
 * tests/browser/setup/fixtures.ts waits for.
 */
export function expose(api: Record<string, unknown>): void {
  const w = window as unknown as { harness?: Record<string, unknown>; harnessReady?: boolean };
  w.harness = { ...w.harness, ...api };
  w.harnessReady = true;
}
