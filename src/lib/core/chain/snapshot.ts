/**
 * The chain state to and from a snapshot at its final block (issue 7; the
 * format is ../snapshot.ts). Restoring checks every header as a peer's would
 * be (links, heights, proof of work, the retarget rule's bits, median times)
 * and takes the ledger as written; the blocks' bodies are attached later,
 * from the store, as encoded bytes ({@link RestoredBodies}).
 */
import { bytesEqual } from '../bytes';
import { DecodeError } from '../errors';
import { sha256 } from '../hash';
import { type BlockHeader, HEADER_BYTES, decodeHeader, encodeHeader } from '../header';
import { headerFault } from '../header-rules';
import type { ChainParams } from '../params';
import type { BlockRules } from '../rules';
import type { ChainSnapshot, ValidatorChange } from '../snapshot';
import type { BlockIndex } from './block-index';
import { type BlockNode, type BodySource, nodeOfHeader } from './block-node';
import type { ActiveChain } from './chain-view';
import type { Reorganiser } from './reorg';

/** A snapshot that does not hold together (caught by `ChainState.restore`, which answers with the reason). */
export class SnapshotRefused extends Error {}

/**
 * Encoded bodies of the blocks restored from a snapshot, attached after the
 * start; each is dropped once its node decoded it (the node keeps the block).
 */
export class RestoredBodies implements BodySource {
  private readonly bodies = new Map<string, Uint8Array>();
  /** Blocks whose body was attached (decoded or not). */
  private readonly attached = new Set<string>();
  /** Height of the snapshot the state was restored from (-1: built block by block); no block at or below it is added later. */
  height = -1;

  get(key: string): Uint8Array | undefined {
    return this.bodies.get(key);
  }

  decoded(key: string): void {
    this.bodies.delete(key);
  }

  /** Whether a block's body is available (every block not restored from a snapshot has one). */
  has(node: BlockNode): boolean {
    return node.height > this.height || this.attached.has(node.key);
  }

  /** Takes `bytes` as the body of `node` when they have its size and start with its own header. */
  attach(node: BlockNode, bytes: Uint8Array): boolean {
    if (this.attached.has(node.key) || bytes.length !== node.size) return false;
    if (!bytesEqual(bytes.subarray(0, HEADER_BYTES), encodeHeader(node.header))) return false;
    this.attached.add(node.key);
    this.bodies.set(node.key, bytes);
    return true;
  }
}

/** Where a restored chain goes: the empty tree, view and tracker of a new chain state. */
export interface RestoreTarget {
  readonly params: ChainParams;
  readonly rules: BlockRules;
  readonly index: BlockIndex;
  readonly view: ActiveChain;
  readonly reorganiser: Reorganiser;
  readonly bodies: RestoredBodies;
}

/** Fills `to` from the snapshot and returns its first block; throws {@link SnapshotRefused} with the reason. */
export function restoreSnapshot(snap: ChainSnapshot, to: RestoreTarget): BlockNode {
  const { params, rules, index, view, reorganiser, bodies } = to;
  const refuse = (why: string): never => {
    throw new SnapshotRefused(why);
  };
  if (snap.networkId !== params.id) refuse(`snapshot of network ${snap.networkId}`);
  if (snap.blocks.length === 0) refuse('snapshot without blocks');
  if (rules.ledger ? !rules.ledger.load(snap.ledger) : snap.ledger.length !== 0) refuse('ledger tables do not match');
  const changes = snap.validators;
  if (changes[0]?.height !== 0 || changes.some((c, i) => i > 0 && c.height <= changes[i - 1]!.height)) refuse('validator changes out of order');
  let change = 0;
  let parent: BlockNode | null = null;
  for (const b of snap.blocks) {
    let header: BlockHeader;
    try {
      header = decodeHeader(b.header);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return refuse(`header ${view.length}: ${e.message}`);
    }
    const hash = sha256(b.header);
    const why = headerFault(params, header, hash, parent, (h) => view.at(h)!.header.time);
    if (why) refuse(`header ${view.length}: ${why}`);
    const node = nodeOfHeader(params, header, hash, b.size, b.txKeys, parent, bodies);
    index.add(node);
    const twice = view.push(node);
    if (twice !== null) refuse(`transaction ${twice} twice`);
    while (changes[change + 1]?.height === node.height) change++;
    reorganiser.restoredValidators(node.key, changes[change]!.ids);
    parent = node;
  }
  if (change !== changes.length - 1) refuse('validator change above the final block');
  bodies.height = view.tip.height;
  return view.at(0)!;
}

/**
 * The state at the final block as a snapshot. The blocks above it are taken
 * off the active chain, the state read, and they are joined again exactly
 * (their rules applied once more, as on a reorganisation).
 */
export function takeSnapshot(params: ChainParams, rules: BlockRules, view: ActiveChain, reorganiser: Reorganiser): ChainSnapshot {
  const above: BlockNode[] = [];
  while (view.tip !== reorganiser.final) above.push(reorganiser.disconnectTip());
  try {
    const active = view.blocks();
    const blocks = active.map((n) => ({ header: encodeHeader(n.header), size: n.size, txKeys: n.txKeys }));
    const validators: ValidatorChange[] = [];
    for (const n of active) {
      const ids = reorganiser.validatorsAt(n.key)!;
      if (validators.length === 0 || validators[validators.length - 1]!.ids.join() !== ids.join()) validators.push({ height: n.height, ids });
    }
    return { networkId: params.id, blocks, validators, ledger: rules.ledger?.tables() ?? [] };
  } finally {
    for (const b of above.reverse()) reorganiser.connect(b);
  }
}
