/**
 * The mesh protocol's messages (SPEC §6): what peers of one network say to
 * each other over a data channel. Each message has a type code (part of the
 * encoding, never reused) and explicit caps, so a peer can never make a node
 * allocate or work without bound. Encoding and decoding are in `wire.ts`.
 */
import type { Block } from '../block';
import type { BlockHeader } from '../header';
import { MAX_BLOB_BYTES } from '../payloads';
import type { Tx } from '../tx';

/** Version of this protocol; peers with another version are refused at hello (2 since issue 15 changed the consent and record payloads; 3 since it added guardianship and recovery kinds). */
export const PROTOCOL_VERSION = 3;

/** Type codes on the wire (first byte of every message). */
export const MsgType = {
  Hello: 1,
  Tip: 2,
  Inv: 3,
  GetHeaders: 4,
  Headers: 5,
  GetBlocks: 6,
  Block: 7,
  GetTxs: 8,
  Tx: 9,
  Vote: 10,
  Ping: 11,
  Pong: 12,
  Reject: 13,
  GetBlob: 14,
  Blob: 15,
} as const;
export type MsgType = (typeof MsgType)[keyof typeof MsgType];

/** What a node is in the network; informative (authorisation rests on signatures, SPEC §5). */
export const NodeRole = { Hospital: 1, Member: 2, Observer: 3 } as const;
export type NodeRole = (typeof NodeRole)[keyof typeof NodeRole];

/** Why a peer refuses something or says goodbye (coded; no free text travels). */
export const RejectCode = {
  Malformed: 1,
  Oversize: 2,
  WrongNetwork: 3,
  BadVersion: 4,
  InvalidBlock: 5,
  InvalidTx: 6,
  InvalidVote: 7,
  RateLimited: 8,
  Banned: 9,
  NotFound: 10,
  Protocol: 11,
  InvalidBlob: 12,
  /** The node keeps no more peers (its `maxPeers`, or the non-validator share of it): not a fault. */
  TooManyPeers: 13,
} as const;
export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode];

/** Kinds of inventory item. */
export const InvKind = { Block: 1, Tx: 2 } as const;
export type InvKind = (typeof InvKind)[keyof typeof InvKind];

/** Caps enforced by the decoder (items per message, bytes per field). */
export const WIRE_CAPS = Object.freeze({
  /** Bytes of a network id string (ChainParams.id). */
  networkIdBytes: 64,
  /** Hashes in a block locator (about 10 + log2(height); Bitcoin allows 101). */
  locatorHashes: 64,
  /** Headers in one `headers` message (500 × 118 bytes fits one 64 KiB chunk). */
  headers: 500,
  /** Hashes in one `get-blocks`. */
  getBlocks: 64,
  /** Items in one `inv` or `get-txs`. */
  invItems: 1000,
  /** Bytes of one opaque consensus vote. */
  voteBytes: 8 * 1024,
  /** Bytes of one blob (SPEC §3: attachments up to 10 MB, plus AEAD overhead). */
  blobBytes: MAX_BLOB_BYTES,
});

export interface Hello {
  readonly type: typeof MsgType.Hello;
  readonly version: number;
  readonly networkId: string;
  readonly genesis: Uint8Array;
  /** The node's Ed25519 public key; must match the key its signalling authenticated. */
  readonly nodeId: Uint8Array;
  readonly role: NodeRole;
  readonly tipHash: Uint8Array;
  readonly tipHeight: number;
  /** Cumulative work of the tip (claimed; only used to decide whom to ask). */
  readonly tipWork: bigint;
  readonly finalHeight: number;
}

/** A new tip: its header (so the receiver can check proof of work and the link) and claimed work. */
export interface TipAnnounce {
  readonly type: typeof MsgType.Tip;
  readonly header: BlockHeader;
  readonly work: bigint;
  readonly finalHeight: number;
}

export interface InvItem {
  readonly kind: InvKind;
  readonly hash: Uint8Array;
}

export interface Inv {
  readonly type: typeof MsgType.Inv;
  readonly items: readonly InvItem[];
}

/** Headers after the first locator hash the receiver has on its active chain, up to `stop` (zero: no stop). */
export interface GetHeaders {
  readonly type: typeof MsgType.GetHeaders;
  readonly locator: readonly Uint8Array[];
  readonly stop: Uint8Array;
}

export interface Headers {
  readonly type: typeof MsgType.Headers;
  readonly headers: readonly BlockHeader[];
}

export interface GetBlocks {
  readonly type: typeof MsgType.GetBlocks;
  readonly hashes: readonly Uint8Array[];
}

export interface BlockMsg {
  readonly type: typeof MsgType.Block;
  readonly block: Block;
  /** Encoded size of the block, for the block-size rule. */
  readonly size: number;
  /**
   * The block's encoding as received (a view into the message): decoding is
   * canonical, so it equals encodeBlock(block), and the store keeps it
   * without encoding the block again. Absent on messages we build.
   */
  readonly bytes?: Uint8Array;
}

export interface GetTxs {
  readonly type: typeof MsgType.GetTxs;
  readonly ids: readonly Uint8Array[];
}

export interface TxMsg {
  readonly type: typeof MsgType.Tx;
  readonly tx: Tx;
}

/** A consensus message, opaque here and judged by the agreement layer's callback. */
export interface Vote {
  readonly type: typeof MsgType.Vote;
  readonly bytes: Uint8Array;
}

export interface Ping {
  readonly type: typeof MsgType.Ping | typeof MsgType.Pong;
  readonly nonce: number;
}

export interface Reject {
  readonly type: typeof MsgType.Reject;
  readonly code: RejectCode;
  /** What is refused (a block hash, tx id), or 32 zero bytes. */
  readonly subject: Uint8Array;
}

/**
 * Asks for the bytes of a blob (SPEC §3). Only hashes a transaction on the
 * asker's chain or in its pool references are asked; the answer is a
 * {@link BlobMsg} or a `NotFound` reject naming the hash.
 */
export interface GetBlob {
  readonly type: typeof MsgType.GetBlob;
  readonly hash: Uint8Array;
}

/** A blob's bytes (chunked like any large message); the receiver checks them against the hash before storing. */
export interface BlobMsg {
  readonly type: typeof MsgType.Blob;
  readonly hash: Uint8Array;
  readonly bytes: Uint8Array;
}

export type Message = Hello | TipAnnounce | Inv | GetHeaders | Headers | GetBlocks | BlockMsg | GetTxs | TxMsg | Vote | Ping | Reject | GetBlob | BlobMsg;
