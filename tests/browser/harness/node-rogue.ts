/**
 * Harness page for a misbehaving peer of the node-runtime tests: it joins the
 * test network through the relay like any node (its hello is honest), then
 * sends one peer garbage, another an oversized frame, and offers the
 * network a chain whose first block breaks a ledger rule (its own chain
 * skips the ledger rules, so it holds and serves that block).
 */
import { MeshDriver } from '../../../src/lib/adapters/net/mesh-driver';
import type { WebRtcTransport } from '../../../src/lib/adapters/net/webrtc-transport';
import { ChainState } from '../../../src/lib/core/chain';
import { fromHex } from '../../../src/lib/core/bytes';
import { MeshNode } from '../../../src/lib/core/net/mesh';
import { NodeRole } from '../../../src/lib/core/net/messages';
import { noStateRules } from '../../../src/lib/core/rules';
import { publicKeyOf } from '../../../src/lib/core/signature';
import { blockTemplate, mineBlock } from '../../../src/lib/core/template';
import { VotePhase, signVote } from '../../../src/lib/core/vote';
import { testNetwork } from '../../shared/node-network';
import { expose } from './lib/expose';
import { pageTransport } from './lib/webrtc-node';

let driver: MeshDriver | null = null;
let transport: WebRtcTransport | null = null;
let self: { secret: Uint8Array; pub: Uint8Array } | null = null;
const sec = () => Math.floor(Date.now() / 1000);

async function start(o: { relayUrl: string; networkId: string; validators: number; t0: number; secretHex: string }): Promise<string> {
  const net = testNetwork(o.networkId, o.validators, o.t0);
  const chain = new ChainState(net.params, net.genesis, sec(), { rules: noStateRules });
  const secret = fromHex(o.secretHex)!;
  self = { secret, pub: publicKeyOf(secret) };
  transport = await pageTransport({ relayUrl: o.relayUrl, networkId: o.networkId, secretHex: o.secretHex });
  const mesh = new MeshNode({ chain, nodeId: self.pub, role: NodeRole.Member });
  driver = new MeshDriver({ mesh, transport, role: NodeRole.Member, now: Date.now, announceMinMs: 200 });
  driver.start();
  return transport.self;
}

/** A chain of `n` blocks whose first carries an approval by a key that is no hospital (NOT_AUTHORISED). */
function offerInvalidChain(n: number): number {
  const chain = driver!.mesh.chain;
  const forged = signVote(self!, { height: 1, round: 0, phase: VotePhase.Prevote, block: chain.genesis.hash }, sec());
  for (let i = 0; i < n; i++) {
    const block = mineBlock(blockTemplate(chain, chain.tip, i === 0 ? [forged] : [], sec(), self!.pub));
    if (driver!.submitBlock(block).status !== 'accepted') throw new Error('rogue block refused by its own chain');
  }
  return chain.height;
}

/** A whole-message frame above the 64 KiB a whole frame may carry (a tag 0 then 64 KiB + 39 bytes). */
const oversizedFrame = () => new Uint8Array(64 * 1024 + 40);

expose({
  start,
  offerInvalidChain,
  ready: () => driver!.mesh.readyPeers().map((p) => p.id),
  connected: () => transport!.connected(),
  garbage: (peer: string) => transport!.send(peer, Uint8Array.from([0, 0xff, 0x13, 0x37, 0x00, 0x42])),
  oversized: (peer: string) => transport!.send(peer, oversizedFrame()),
});
