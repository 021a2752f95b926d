/**
 * Which parts of a node's state moved since its last step, told as
 * {@link NodeEvents} (issue 14). The node already runs one step after every
 * event that can change it (a block, a vote, a write, a mined block, its
 * agreement timer), so comparing there once is enough: no part can move
 * without a step following, and nothing is compared more often than the
 * node steps. Peers and links have no event of their own in the transport,
 * so they are compared the same way (the node's step timer bounds how late
 * a closed link is told).
 */
import type { LinkReport } from '../adapters/net/link-report';
import type { ChainState } from '../core/chain';
import { TxKind } from '../core/tx';
import type { NodeEvents, NodeEventType } from './events';

/** What the screens can see of a node, in comparable form. */
export interface NodeFacts {
  readonly tip: string;
  readonly final: string;
  /** Keys of the pending transactions other than votes. */
  readonly pending: string;
  /** Ready peers, and the links' paths and relays' states. */
  readonly peers: string;
  readonly mining: boolean;
}

/** The facts of a chain (tip, final block, pool) with the mesh's peers and links and the miner's state. */
export function nodeFacts(chain: ChainState, peers: readonly string[], links: LinkReport | null, mining: boolean): NodeFacts {
  const pending = chain.pending
    .list()
    .filter((e) => e.tx.kind !== TxKind.Approval)
    .map((e) => e.key)
    .join();
  const linkPrint = links
    ? `${links.turn}/${links.blocked}/${links.relays.map((r) => r.state)}/${links.peers.map((p) => `${p.id}:${p.state}:${p.path?.path}`)}`
    : '';
  return { tip: chain.tip.key, final: chain.finalized.key, pending, peers: `${peers.join()}|${linkPrint}`, mining };
}

const FIELDS: readonly [keyof NodeFacts, NodeEventType][] = [
  ['tip', 'tip'],
  ['final', 'final'],
  ['pending', 'pending'],
  ['peers', 'peers'],
  ['mining', 'mining'],
];

/** Remembers the last facts seen and emits one event per part that differs. */
export class ChangeWatch {
  private last: NodeFacts | null = null;

  constructor(private readonly events: NodeEvents) {}

  /** Compares `now` with the last facts (the first call tells every part) and emits what moved. */
  see(now: NodeFacts): void {
    const before = this.last;
    this.last = now;
    for (const [field, type] of FIELDS) if (!before || before[field] !== now[field]) this.events.emit(type);
  }
}
