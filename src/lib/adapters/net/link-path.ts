/**
 * Whether a WebRTC link is direct or relayed through a TURN server (SPEC §6:
 * "each peer shows whether its link is direct or relayed"), read from the
 * connection's statistics: the transport's selected candidate pair (or, where
 * a browser does not name it, the nominated pair that succeeded), and the
 * types of its two candidates. A pair with a `relay` candidate on either end
 * goes through TURN; host, server-reflexive and peer-reflexive pairs are
 * direct. Statistics are the browser's, read as untrusted shapes: null when
 * no selected pair can be found, never a throw.
 */
import type { StatsLike } from './fingerprint';

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface LinkPath {
  readonly path: 'direct' | 'relayed';
  readonly local: CandidateType;
  readonly remote: CandidateType;
  /** `udp` or `tcp`, as the local candidate says. */
  readonly protocol: string;
}

const TYPES: ReadonlySet<string> = new Set(['host', 'srflx', 'prflx', 'relay']);

function selectedPair(report: StatsLike): Record<string, unknown> | null {
  for (const s of report.values()) {
    if (s.type !== 'transport' || typeof s.selectedCandidatePairId !== 'string') continue;
    const pair = report.get(s.selectedCandidatePairId);
    if (pair) return pair;
  }
  for (const s of report.values()) if (s.type === 'candidate-pair' && (s.selected === true || (s.nominated === true && s.state === 'succeeded'))) return s;
  return null;
}

/** The selected pair's path from a connection's stats, or null when there is none yet. */
export function linkPath(report: StatsLike): LinkPath | null {
  const pair = selectedPair(report);
  if (!pair || typeof pair.localCandidateId !== 'string' || typeof pair.remoteCandidateId !== 'string') return null;
  const local = report.get(pair.localCandidateId);
  const remote = report.get(pair.remoteCandidateId);
  const lt = local?.candidateType;
  const rt = remote?.candidateType;
  if (typeof lt !== 'string' || typeof rt !== 'string' || !TYPES.has(lt) || !TYPES.has(rt)) return null;
  const protocol = typeof local?.protocol === 'string' ? local.protocol : 'udp';
  return { path: lt === 'relay' || rt === 'relay' ? 'relayed' : 'direct', local: lt as CandidateType, remote: rt as CandidateType, protocol };
}
