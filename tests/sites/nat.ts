/**
 * A site's router: IPv4 forwarding, source NAT on its WAN link, and a
 * home-router firewall (the LAN may start connections, the internet may
 * only answer them).
 *
 * The input chain matters for hole punching: it drops unsolicited packets to
 * the router before conntrack confirms them. Without it, a peer's first
 * STUN check that arrives before our own host has sent anything leaves an
 * (unreplied) conntrack entry for that 4-tuple, and our host's own packet
 * to the peer then cannot keep its port (the mapping would clash), so
 * masquerade picks another: two "port-preserving" sites then never
 * connected (measured: a↔b ICE stuck in checking; with the drop, srflx ⇄
 * srflx in ~0.4 s).
 *
 * Two NAT behaviours (measured by tests/sites/world.check.ts):
 * - `port-preserving`: `masquerade`. Linux keeps the host's source port
 *   when it is free, so one local socket shows the same public address:port
 *   to every destination (endpoint-independent mapping); inbound packets
 *   pass only as replies to a flow the host started (port-restricted
 *   filtering). STUN hole punching works between two such sites.
 * - `symmetric`: `masquerade random`: the public port is drawn from a
 *   keyed hash of the flow, destination included, so one local socket
 *   shows a different public port to each destination (endpoint-dependent
 *   mapping). The port STUN reports is useless to a peer: only TURN works.
 */
import { execIn, NFT } from './netns';

/** How a site's router maps its hosts' flows to public ports. */
export type NatKind = 'port-preserving' | 'symmetric';

/** The nft expression that does the source NAT for each {@link NatKind}. */
export const NAT_STATEMENT: Readonly<Record<NatKind, string>> = {
  'port-preserving': 'masquerade',
  symmetric: 'masquerade random',
};

/** The router's nftables ruleset (one `nft -f` transaction; it lives in the router's namespace only). */
export function routerRuleset(kind: NatKind, wanIf: string, lanIf: string): string {
  return `table ip medchain_nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "${wanIf}" ${NAT_STATEMENT[kind]}
  }
}
table ip medchain_filter {
  chain input {
    type filter hook input priority filter; policy drop;
    iif "lo" accept
    ct state established,related accept
    iifname "${lanIf}" accept
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "${lanIf}" oifname "${wanIf}" accept
  }
}
`;
}

/** Turns namespace `ns` into a NAT router between `lanIf` and `wanIf`. */
export async function configureRouter(ns: string, kind: NatKind, wanIf: string, lanIf: string): Promise<void> {
  // icmp_ratelimit=0: every unroutable packet gets its "network unreachable" at once (tests fail fast, not by timeout).
  await execIn(ns, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1', 'net.ipv4.icmp_ratelimit=0']);
  await execIn(ns, NFT, ['-f', '-'], { input: routerRuleset(kind, wanIf, lanIf) });
}
