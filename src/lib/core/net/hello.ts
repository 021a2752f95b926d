/**
 * The handshake (SPEC §6): the first message each way says who a node is and
 * where its chain stands. A peer is accepted only with this protocol's
 * version, this network's id and genesis, and the node key its signed
 * signalling authenticated (SPEC §6: a relay cannot swap identities).
 */
import { toHex } from '../bytes';
import type { ChainState } from '../chain';
import { type Hello, MsgType, type NodeRole, PROTOCOL_VERSION, RejectCode } from './messages';

/** Our hello: the chain's network, genesis, tip and final height. */
export function makeHello(chain: ChainState, nodeId: Uint8Array, role: NodeRole): Hello {
  const tip = chain.tip;
  return {
    type: MsgType.Hello,
    version: PROTOCOL_VERSION,
    networkId: chain.params.id,
    genesis: chain.genesis.hash,
    nodeId,
    role,
    tipHash: tip.hash,
    tipHeight: tip.height,
    tipWork: tip.chainWork,
    finalHeight: chain.finalized.height,
  };
}

/**
 * What to do with a peer's hello: accept it; refuse politely (another
 * version or network, which is no misbehaviour); or treat it as a protocol
 * fault (a second hello, or another node's key).
 */
export function judgeHello(chain: ChainState, peerId: string, alreadyGreeted: boolean, m: Hello): 'ok' | 'fault' | RejectCode {
  if (alreadyGreeted || toHex(m.nodeId) !== peerId) return 'fault';
  if (m.version !== PROTOCOL_VERSION) return RejectCode.BadVersion;
  if (m.networkId !== chain.params.id || toHex(m.genesis) !== chain.genesis.key) return RejectCode.WrongNetwork;
  return 'ok';
}
