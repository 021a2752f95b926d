/**
 * The mesh as the explorer draws it (SPEC §6–7): this node in the middle,
 * each connected peer on a circle around it with its role and the tip and
 * final height it last told us of (its hello, then its announced best tip),
 * and whether the link to it is direct or relayed through TURN.
 */
export type PeerRole = 'hospital' | 'member' | 'observer';

export interface MeshPeer {
  /** Hex of the peer's node key. */
  readonly id: string;
  readonly role: PeerRole;
  readonly tipHeight: number;
  readonly finalHeight: number;
  /** Direct, or relayed through a TURN server; null until the browser's statistics name the path. */
  readonly path: 'direct' | 'relayed' | null;
}

export interface PlacedPeer extends MeshPeer {
  readonly x: number;
  readonly y: number;
}

/** Places `peers` evenly on a circle of radius `r` around (cx, cy), first one at the top. */
export function placePeers(peers: readonly MeshPeer[], cx: number, cy: number, r: number): PlacedPeer[] {
  return peers.map((p, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / peers.length;
    return { ...p, x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) };
  });
}

/** The highest tip among this node and its peers: the sync target. */
export function bestHeight(own: number, peers: readonly MeshPeer[]): number {
  return Math.max(own, ...peers.map((p) => p.tipHeight));
}
