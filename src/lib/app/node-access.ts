/**
 * What the app's screens need from the running node (issue 6), and nothing
 * more: the ledger to read (who may read what, records, grants, requests),
 * a way to submit signed transactions, the encrypted blob store, status, and
 * change notifications. Screens and their actions are written against this
 * interface, reading the chain through a read-only {@link ChainView};
 * `src/lib/app/node/` implements it over `bootNode`
 * (src/lib/node/boot.ts), and tests use an in-memory implementation over a
 * ChainState (the in-memory twin), so no screen ever shows made-up data.
 */
import type { BlobRef } from '../core/payloads';
import type { AddTxResult } from '../core/chain';
import type { LedgerView } from '../core/ledger';
import type { Tx } from '../core/tx';
import type { NodeStatus, VerifyResult } from '../node/types';
import type { ChainView } from './chain-view';

export interface NodeAccess {
  /** A read-only view of the chain this tab sees (null until the node has opened its store). */
  chain(): ChainView | null;
  /** The ledger as of the tip (null until the node has opened its store). */
  ledger(): LedgerView | null;
  status(): NodeStatus;
  /** Sends a signed transaction; it is kept on this device until it is in a block ("saved on this device, will sync"). */
  submit(tx: Tx): Promise<AddTxResult>;
  /** Stores encrypted bytes under their hash on this device (and offers them to peers). */
  putBlob(ref: BlobRef, bytes: Uint8Array): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Encrypted bytes by hash: from this device, else fetched from peers; null when no one has them (or they were erased). */
  getBlob(ref: BlobRef): Promise<Uint8Array | null>;
  /**
   * Deletes this device's copy of a blob (hex SHA-256) at once, for an
   * erasure the patient just signed (SPEC §3); the node deletes erased
   * blobs anyway once the erasure is final. Optional: without it, the
   * deletion waits for finality.
   */
  deleteBlob?(hashHex: string): Promise<void>;
  verifyChain(): Promise<VerifyResult>;
  /** Calls `fn` after every change of tip, final block, pending pool or peers; returns an unsubscribe function. */
  onChange(fn: () => void): () => void;
  /** Seconds since 1970 (the node's clock, for transaction times). */
  now(): number;
}
