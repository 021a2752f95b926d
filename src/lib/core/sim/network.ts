/**
 * The simulator's in-memory network (issue 4): every send is queued with a
 * seeded delay; while faults are on, messages are also dropped, duplicated,
 * reordered within a step and cut by partitions. After the heal, delivery is
 * reliable within a bound (partial synchrony: the model under which
 * docs/consensus.md argues liveness).
 */
import type { Block } from '../block';
import type { Prng } from '../prng';
import type { Tx } from '../tx';

export type Msg =
  | { readonly type: 'block'; readonly block: Block }
  | { readonly type: 'tx'; readonly tx: Tx }
  | { readonly type: 'get'; readonly hash: string }
  | { readonly type: 'status'; readonly tip: string; readonly finalHeight: number }
  | { readonly type: 'get-cert'; readonly height: number };

export interface Envelope {
  readonly at: number;
  readonly seq: number;
  readonly from: number;
  readonly to: number;
  readonly msg: Msg;
}

export class SimNetwork {
  private queue: Envelope[] = [];
  private seq = 0;
  /** Group of each node while partitioned, else null. */
  partition: number[] | null = null;
  faults = true;

  constructor(
    private readonly prng: Prng,
    readonly size: number,
  ) {}

  send(step: number, from: number, to: number, msg: Msg): void {
    if (from === to) return;
    const p = this.prng;
    if (this.faults && this.partition && this.partition[from] !== this.partition[to]) return;
    if (this.faults && p.next() < 0.05) return;
    const copies = this.faults && p.next() < 0.05 ? 2 : 1;
    for (let c = 0; c < copies; c++) this.queue.push({ at: step + p.int(1, this.faults ? 4 : 2), seq: this.seq++, from, to, msg });
  }

  broadcast(step: number, from: number, msg: Msg): void {
    for (let to = 0; to < this.size; to++) this.send(step, from, to, msg);
  }

  /** The messages due at `step`, in a seeded order. */
  due(step: number): Envelope[] {
    const due = this.queue.filter((e) => e.at <= step);
    this.queue = this.queue.filter((e) => e.at > step);
    for (let i = due.length - 1; i > 0; i--) {
      const j = this.prng.int(0, i);
      [due[i], due[j]] = [due[j]!, due[i]!];
    }
    return due;
  }
}
