/**
 * The doctor's TURN check (e): with the credentials a relay handed out, a
 * real Allocate against the first `turn:` URL over UDP — what a browser
 * tries first when NAT blocks a direct link. Success proves together that
 * the TURN server is reachable over UDP, that it shares the relay's secret
 * and that it has relay ports to give.
 */
import type { TurnServers } from '../../lib/core/signal/turn-request';
import type { DoctorContext } from './context';
import { turnAllocate } from './turn-allocate';
import { firstUdpTurnUrl } from './turn-url';

/** Allocates on the TURN server `servers` names, with its credentials from relay `relayUrl`. */
export async function checkTurn(relayUrl: string, servers: TurnServers, ctx: DoctorContext): Promise<void> {
  const target = firstUdpTurnUrl(servers.urls);
  if (!target) {
    ctx.report.warn(
      `TURN (from relay ${relayUrl})`,
      `no turn: URL over UDP among ${servers.urls.join(', ')}, so none was tested (the doctor allocates over UDP only)`,
    );
    return;
  }
  const subject = `TURN ${target.url}`;
  const outcome = await turnAllocate(target.host, target.port, { username: servers.username, password: servers.credential }, ctx.timeoutMs);
  if (!outcome.ok) {
    ctx.report.fail(subject, `${outcome.reason} (credentials from relay ${relayUrl})`);
    return;
  }
  const seen = outcome.mapped ? `; this machine seen as ${outcome.mapped}` : '';
  ctx.report.ok(
    subject,
    `Allocate over UDP succeeded with credentials from relay ${relayUrl} (realm ${outcome.realm}): relayed address ${outcome.relayed}${seen}`,
  );
}
