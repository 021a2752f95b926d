/**
 * Page side of the browser harness (bench pages and test pages alike): a
 * page module puts its API on `window.harness` and then sets
 * `window.harnessReady`, which session.ts and tests/browser/setup/fixtures.ts
 * wait for.
 */
export function expose(api: Record<string, unknown>): void {
  const w = window as unknown as { harness?: Record<string, unknown>; harnessReady?: boolean };
  w.harness = { ...w.harness, ...api };
  w.harnessReady = true;
}
