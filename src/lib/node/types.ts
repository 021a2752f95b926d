/**
 * What a running node tells the page and the multi-tab test tooling (issue 5:
 * the read-only `window.medchain` handle), and what it needs from its
 * platform. The browser passes IndexedDB, WebRTC and a Web Worker
 * (boot.ts); Node tests pass the in-memory twins.
 */
import type { Block } from '../core/block';
import type { MeshConfig } from '../core/net/config';
import type { ChainParams } from '../core/params';
import type { RoundTiming } from '../core/validator';
import type { Miner } from '../adapters/miner/types';
import type { Transport } from '../adapters/net/transport';
import type { LoadVerifier } from './chain-build';
import type { ChainStore } from '../adapters/store/types';
import type { NodeKey } from './identity';
import type { Sealer } from '../adapters/store/sealer';
import type { Timers } from '../adapters/timers';

/** `validator`: a hospital voting on blocks; `node`: a full node that does not vote; `follower`: a tab following the profile's writer tab. */
export type NodeRoleName = 'validator' | 'node' | 'follower';

export interface NodeStatus {
  /** Hex of this node's key (null in a follower tab before the writer made one). */
  readonly nodeId: string | null;
  readonly role: NodeRoleName;
  readonly height: number;
  readonly tipHash: string;
  readonly finalHeight: number;
  /** Peers with an open channel and a completed hello. */
  readonly peers: number;
  /** Transactions waiting for a block (written here or heard), votes excluded. */
  readonly pending: number;
  readonly mining: boolean;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly height: number;
  /** The first bad block and the rule it breaks. */
  readonly error?: string;
}

/**
 * What the store's check on opening found, and what peers have repaired
 * since. Nothing listed here is deleted from the store: the app tells the
 * person about it (app/status/store-health.ts).
 */
export interface StoreHealth {
  readonly bad: readonly { readonly key: string; readonly height: number | null; readonly code: string }[];
  /** Sound blocks set aside because they descend from a bad or missing one (not on the chain until it comes back). */
  readonly detached: readonly string[];
  /** Keys of bad blocks that have since come back from peers (the detached ones behind them rejoin with them). */
  readonly repaired: readonly string[];
}

export interface NodeDeps {
  readonly store: ChainStore;
  /** Builds the transport once the node key is known (it signs the signalling). */
  readonly transport: (key: NodeKey) => Transport | Promise<Transport>;
  readonly miner: Miner;
  readonly params: ChainParams;
  readonly genesis: Block;
  /** Milliseconds since 1970. */
  readonly now: () => number;
  readonly randomBytes: (n: number) => Uint8Array;
  /** Signature checks (a primed WebCrypto verifier in the browser; noble by default). */
  readonly verifier?: LoadVerifier;
  /** A hospital's signing key: the node votes as that validator. */
  readonly validatorKey?: NodeKey | null;
  readonly timing?: RoundTiming;
  /** Whether this node mines when transactions are pending (default true). */
  readonly mine?: boolean;
  readonly mesh?: Partial<MeshConfig>;
  /** Period of the agreement timer (default 250 ms) and of vote re-sending (default 2000 ms). */
  readonly stepMs?: number;
  readonly resendMs?: number;
  /** How long `getBlob` waits for peers (default 30 000 ms). */
  readonly blobWaitMs?: number;
  /** Timers (default the platform's; the simulator passes virtual time). */
  readonly timers?: Timers;
  /** Where the node key and vote memory are sealed (default: under the device key). */
  readonly sealer?: Sealer;
  /**
   * Counts votes with this quorum instead of the one the genesis records.
   * Only the simulator's broken-rule tests set it, to prove its checks catch a wrong quorum.
   */
  readonly quorumOverride?: (validators: number) => number;
  /** Called after every change that reached the store (the tab leader tells its followers). */
  readonly onPersisted?: (tip: { key: string; height: number }) => void;
}
