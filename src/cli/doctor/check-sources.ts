/**
 * From the page's `connect-src` to the relays the doctor dials (c, d, e):
 * each relay is checked, and the TURN server it hands credentials for is
 * tried with them. Sources that are neither the page itself, the zero
 * configuration's loopback wildcards nor a relay get a warning, since the
 * page should reach nothing else (SPEC §9).
 */
import type { DoctorContext } from './context';
import { checkRelay } from './check-relay';
import { checkTurn } from './check-turn';
import { classifySource } from './relay-sources';

/** Checks every relay in `sources`, the connect-src of the page at `pageUrl`. */
export async function checkSources(sources: readonly string[], pageUrl: URL, pageIsLoopback: boolean, ctx: DoctorContext): Promise<void> {
  const relays: { url: string; loopback: boolean }[] = [];
  for (const source of sources) {
    const kind = classifySource(source);
    if (kind.kind === 'relay') relays.push(kind);
    else if (kind.kind === 'other') ctx.report.warn('connect-src', `${kind.source} ${kind.reason}`);
  }
  if (relays.length === 0) {
    const text = 'names no relay, so nodes on different computers cannot find each other (list the relays in medchain.config.json, then npm run build)';
    if (pageIsLoopback) ctx.report.warn('connect-src', text);
    else ctx.report.fail('connect-src', text);
    return;
  }
  for (const relay of relays) {
    const servers = await checkRelay(relay.url, pageUrl.protocol === 'https:', relay.loopback, ctx);
    if (servers) await checkTurn(relay.url, servers, ctx);
  }
}
