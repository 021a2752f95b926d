/**
 * The doctor's checks of the app itself (a, b): it answers over HTTPS with
 * a certificate a browser accepts, and it carries the headers SPEC §9's
 * lock-down depends on — a Content-Security-Policy with `connect-src` and
 * `frame-ancestors 'none'`, `nosniff`, HSTS — with the page's own `<meta>`
 * policy allowing the same relays as the header (a proxy that drops a
 * header, or a build made for other relays, is caught here).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackHost } from '../../../scripts/deploy-config.mjs';
import { certificateNote } from './certificate';
import type { DoctorContext } from './context';
import { type Policy, directive, metaPolicies, parsePolicies, sameSources } from './csp';
import { type Page, fetchPage } from './fetch-page';
import { describeFailure } from './net-errors';

/** A header's single value (Node joins repeated ones with ", "). */
function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** (a): the page over HTTPS; returns it, or null when there is nothing more to check. */
async function checkAnswer(url: URL, ctx: DoctorContext): Promise<Page | null> {
  const subject = `app ${url.href}`;
  let page: Page;
  try {
    page = await fetchPage(url, ctx.trust, ctx.timeoutMs);
  } catch (e) {
    ctx.report.fail(subject, `${url.protocol === 'https:' ? 'HTTPS' : 'HTTP'} request failed: ${describeFailure(e)}`);
    return null;
  }
  if (page.status !== 200) {
    ctx.report.fail(subject, `answered HTTP ${page.status}, not 200 with the app's index.html`);
    return page;
  }
  if (url.protocol !== 'https:') {
    const why = 'browsers give pages on plain HTTP no WebCrypto and no service worker, except on the same computer';
    if (isLoopbackHost(url.hostname)) ctx.report.warn(subject, `HTTP 200 over plain HTTP: usable on this computer only (${why})`);
    else ctx.report.fail(subject, `HTTP 200 over plain HTTP: ${why}; serve it over HTTPS`);
    return page;
  }
  const note = certificateNote(page.certificate, ctx.now());
  const text = `HTTP 200 over HTTPS, ${note?.text ?? 'no certificate details'}`;
  if (note?.expiresSoon) ctx.report.warn(subject, text);
  else ctx.report.ok(subject, text);
  return page;
}

/** HSTS: present with a positive max-age. */
function checkHsts(headers: IncomingHttpHeaders, ctx: DoctorContext): void {
  const name = 'Strict-Transport-Security';
  const value = header(headers, 'strict-transport-security');
  const maxAge = value === undefined ? null : /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?/i.exec(value)?.[1];
  if (value === undefined)
    ctx.report.fail(name, 'missing: browsers may be talked into plain HTTP on a later visit (behind a proxy, the proxy adds it: see deploy/Caddyfile)');
  else if (!maxAge || Number(maxAge) === 0) ctx.report.fail(name, `"${value}" has no positive max-age, so it pins nothing`);
  else ctx.report.ok(name, value);
}

/** The `<meta>` policy's connect-src against the header's. */
function checkMeta(body: string, headerConnect: readonly string[] | null, ctx: DoctorContext): readonly string[] | null {
  const subject = 'index.html <meta> CSP';
  const metaConnect = directive(metaPolicies(body), 'connect-src');
  if (metaConnect === null) {
    ctx.report.warn(subject, 'index.html has no <meta> policy with connect-src (is this the page npm run build made?)');
    return null;
  }
  if (headerConnect === null) return metaConnect;
  if (sameSources(metaConnect, headerConnect)) ctx.report.ok(subject, "connect-src is the same as the header's");
  else
    ctx.report.fail(
      subject,
      `connect-src ${metaConnect.join(' ')} differs from the header's ${headerConnect.join(' ')}: the browser enforces both, so only relays in both are reachable (rebuild with the deployment's configuration: npm run build)`,
    );
  return metaConnect;
}

/**
 * Checks the app at `url` (a, b). Returns the page's `connect-src` sources
 * (the header's, else the `<meta>` policy's), or null when there are none
 * to go on.
 */
export async function checkApp(url: URL, ctx: DoctorContext): Promise<readonly string[] | null> {
  const page = await checkAnswer(url, ctx);
  if (!page) return null;

  const cspText = header(page.headers, 'content-security-policy');
  const policies: Policy[] = cspText === undefined ? [] : parsePolicies(cspText);
  const connect = directive(policies, 'connect-src');
  const cspName = 'Content-Security-Policy';
  if (cspText === undefined)
    ctx.report.fail(cspName, 'missing: the page would run without its lock-down (medchain serve sends it; a proxy in front must pass it on)');
  else if (connect === null) ctx.report.fail(cspName, 'has no connect-src, so it does not limit where the page may connect');
  else ctx.report.ok(cspName, `connect-src ${connect.join(' ')}`);

  const nosniff = header(page.headers, 'x-content-type-options');
  if (nosniff?.trim().toLowerCase() === 'nosniff') ctx.report.ok('X-Content-Type-Options', 'nosniff');
  else ctx.report.fail('X-Content-Type-Options', `${nosniff === undefined ? 'missing' : `"${nosniff}"`}: browsers may guess file types (must be nosniff)`);

  if (url.protocol === 'https:') checkHsts(page.headers, ctx);

  if (cspText !== undefined) {
    const frames = directive(policies, 'frame-ancestors');
    if (frames?.length === 1 && frames[0] === "'none'") ctx.report.ok('frame-ancestors', "'none': no other site can frame the app");
    else
      ctx.report.fail('frame-ancestors', `${frames ? frames.join(' ') : 'missing'} in the header's policy: other sites could frame the app (must be 'none')`);
  }

  const metaConnect = checkMeta(page.body, connect, ctx);
  return connect ?? metaConnect;
}
