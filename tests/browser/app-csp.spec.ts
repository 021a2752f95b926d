/**
 * The built app's two Content-Security-Policies agree (scripts/csp.mjs):
 * the header scripts/serve.mjs sends and the <meta> tag SvelteKit wrote
 * into index.html at build time have the same directives and the same
 * script hashes, the header adding only `frame-ancestors` (which a <meta>
 * tag cannot carry). A browser enforces both, so any difference would block
 * what one of them allows. And the page loads under them without a
 * violation.
 */
import { parsePolicy } from '../../src/cli/doctor/csp';
import { expect, failOnPageErrors, test } from './setup/app';

/** A policy as a plain object, sources sorted (their order means nothing). */
function sorted(policy: ReadonlyMap<string, readonly string[]>): Record<string, string[]> {
  return Object.fromEntries([...policy].map(([name, sources]) => [name, [...sources].sort()]));
}

test('the header and the built <meta> tag carry one policy, and the app runs under it', async ({ page, appUrl }) => {
  const problems = failOnPageErrors(page);
  const response = await page.goto(appUrl);
  const header = sorted(parsePolicy(response!.headers()['content-security-policy'] ?? ''));
  const meta = sorted(parsePolicy((await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content')) ?? ''));

  expect(header['frame-ancestors']).toEqual(["'none'"]);
  expect(meta['frame-ancestors']).toBeUndefined();
  expect({ ...header, 'frame-ancestors': undefined }).toEqual({ ...meta, 'frame-ancestors': undefined });
  // SvelteKit's bootstrap is the page's one inline script; both policies allow exactly it.
  expect(meta['script-src']!.filter((s) => s.startsWith("'sha256-"))).toHaveLength(1);

  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(problems).toEqual([]);
});
