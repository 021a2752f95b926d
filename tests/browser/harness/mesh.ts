/**
 * Harness page for the mesh over WebRTC: one node per page (each test gives
 * each node its own browser context) — a pure MeshNode holding a real
 * ChainState, bound by MeshDriver to a WebRtcTransport that meets its peers
 * through the real relay. Chain builders are the core tests' own.
 */
import { MeshDriver } from '../../../src/lib/adapters/net/mesh-driver';
import { sdpFingerprint, statsFingerprint, type StatsLike } from '../../../src/lib/adapters/net/fingerprint';
import type { WebRtcTransport } from '../../../src/lib/adapters/net/webrtc-transport';
import { encodeBlock } from '../../../src/lib/core/block';
import { ChainState } from '../../../src/lib/core/chain';
import { fromHex } from '../../../src/lib/core/bytes';
import { MeshNode } from '../../../src/lib/core/net/mesh';
import { NodeRole } from '../../../src/lib/core/net/messages';
import { type ChainParams, TEST_PARAMS } from '../../../src/lib/core/params';
import { noStateRules } from '../../../src/lib/core/rules';
import { publicKeyOf } from '../../../src/lib/core/signature';
import { extend, makeGenesis, recordTx, type Key } from '../../unit/core/helpers';
import { expose } from '../../../src/bench/expose';
import { pageTransport } from './lib/webrtc-node';

/** The test network: TEST_PARAMS with room for a block above 512 KiB (one network id per test). */
const paramsFor = (id: string): ChainParams => ({ ...TEST_PARAMS, id, maxBlockBytes: 1024 * 1024 });

let driver: MeshDriver | null = null;
let transport: WebRtcTransport | null = null;
let key: Key | null = null;
const sec = () => Math.floor(Date.now() / 1000);

export interface StartOptions {
  readonly relayUrl: string;
  readonly networkId: string;
  readonly secretHex: string;
  /** Blocks of the shared prefix this node starts with. */
  readonly blocks: number;
}

async function start(o: StartOptions): Promise<void> {
  const params = paramsFor(o.networkId);
  const chain = new ChainState(params, makeGenesis(params), sec(), { rules: noStateRules });
  for (let i = 0; i < o.blocks; i++) chain.addBlock(extend(chain, chain.tip), sec());
  const secret = fromHex(o.secretHex)!;
  key = { secret, pub: publicKeyOf(secret) };
  transport = await pageTransport({ relayUrl: o.relayUrl, networkId: o.networkId, secretHex: o.secretHex });
  const mesh = new MeshNode({ chain, nodeId: key.pub, role: NodeRole.Hospital });
  driver = new MeshDriver({ mesh, transport, role: NodeRole.Hospital, now: Date.now, announceMinMs: 200 });
  driver.start();
}

/** Mines one block on our tip with `txs` record transactions of `txBytes` payload each; returns its key and size. */
function mine(txs: number, txBytes: number): { key: string; bytes: number } {
  const chain = driver!.mesh.chain;
  const time = chain.tip.header.time + 1;
  const list = Array.from({ length: txs }, () => recordTx(time, key!, txBytes));
  const block = extend(chain, chain.tip, { txs: list, miner: key! });
  const r = driver!.submitBlock(block);
  if (r.status !== 'accepted') throw new Error(`own block ${r.status}`);
  return { key: chain.tip.key, bytes: encodeBlock(block).length };
}

function state() {
  const d = driver!;
  return {
    height: d.mesh.chain.height,
    tip: d.mesh.chain.tip.key,
    connected: transport!.connected(),
    ready: d.mesh.readyPeers().map((p) => p.id),
    presence: d.presence.list(),
    refused: transport!.refused(),
    bans: d.stats.bans,
    framesIn: d.stats.framesIn,
    errors: d.stats.errors,
    setupMs: [...transport!.setupMs],
  };
}

expose({
  start,
  mine,
  state,
  /** Sends frames no honest node would: a whole-message tag followed by junk. */
  garbage(peer: string): boolean {
    return transport!.send(peer, Uint8Array.from([0, 0xff, 0x13, 0x37, 0x00, 0x42]));
  },
  /** The fingerprint the remote SDP pinned and the one of the certificate the channel actually runs on. */
  async fingerprints(peer: string) {
    const pc = transport!.connection(peer);
    if (!pc) return null;
    return { signed: sdpFingerprint(pc.remoteDescription?.sdp ?? ''), actual: statsFingerprint((await pc.getStats()) as unknown as StatsLike) };
  },
  stop: () => driver?.stop(),
});
