/**
 * A peer driven by the test rather than by a MeshNode: it records what it
 * receives and sends whatever the test tells it to (valid messages, garbage,
 * oversized frames). Used to play a misbehaving or a scripted honest peer.
 */
import { toHex } from '../../../../src/lib/core/bytes';
import type { ChainState } from '../../../../src/lib/core/chain';
import { Chunker, Reassembler } from '../../../../src/lib/core/net/chunk';
import type { NetAction, NetEvent } from '../../../../src/lib/core/net/events';
import { type Hello, type Message, MsgType, NodeRole, PROTOCOL_VERSION } from '../../../../src/lib/core/net/messages';
import { decodeMessage, encodeMessage } from '../../../../src/lib/core/net/wire';
import { makeKeys } from '../helpers';
import type { Endpoint, SimNet } from './sim-net';

export class ScriptedPeer implements Endpoint {
  readonly id: string;
  readonly nodeId: Uint8Array;
  readonly inbox: { from: string; msg: Message }[] = [];
  readonly closed: string[] = [];
  private readonly chunker = new Chunker();
  private readonly reassembly = new Map<string, Reassembler>();

  constructor(
    private readonly net: SimNet,
    seed: string,
  ) {
    this.nodeId = makeKeys(`scripted/${seed}`, 1)[0]!.pub;
    this.id = toHex(this.nodeId);
    net.add(this.id, this);
  }

  handle(event: NetEvent): NetAction[] {
    if (event.kind === 'disconnect') this.closed.push(event.peer);
    if (event.kind !== 'frame') return [];
    let r = this.reassembly.get(event.peer);
    if (!r) this.reassembly.set(event.peer, (r = new Reassembler({ maxBytes: () => 1 << 21, maxPartials: 4, budgetBytes: Infinity, timeoutMs: 60_000 })));
    const got = r.accept(event.data, event.now);
    if (got.kind === 'message') {
      const d = decodeMessage(got.bytes, 1 << 21);
      if (d.ok) this.inbox.push({ from: event.peer, msg: d.msg });
    }
    return [];
  }

  /** Sends a message, chunked as a MeshNode would. */
  send(to: string, msg: Message): void {
    this.net.transmit(this.id, to, msg.type, this.chunker.frames(encodeMessage(msg)));
  }

  /** Sends raw frames (no framing help). */
  sendRaw(to: string, frames: readonly Uint8Array[]): void {
    this.net.transmit(this.id, to, -1, frames);
  }

  /** A correct hello for `chain`'s network, claiming `tip` (default the chain's own). */
  hello(chain: ChainState, claim: Partial<Hello> = {}): Hello {
    return {
      type: MsgType.Hello,
      version: PROTOCOL_VERSION,
      networkId: chain.params.id,
      genesis: chain.genesis.hash,
      nodeId: this.nodeId,
      role: NodeRole.Observer,
      tipHash: chain.genesis.hash,
      tipHeight: 0,
      tipWork: chain.genesis.chainWork,
      finalHeight: 0,
      ...claim,
    };
  }

  /** Messages of `type` received. */
  received<T extends Message['type']>(type: T): Extract<Message, { type: T }>[] {
    return this.inbox.filter((e) => e.msg.type === type).map((e) => e.msg as Extract<Message, { type: T }>);
  }
}
