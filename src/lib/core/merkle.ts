/**
 * The transactions root of a block header (SPEC §5: "a root over its
 * transactions"). A binary Merkle tree over transaction ids with distinct tags
 * for leaves, inner nodes and the empty tree; an odd node at the end of a
 * level is carried up unchanged rather than paired with itself, so two
 * different transaction lists never share a root (Bitcoin's duplicated-leaf
 * flaw, CVE-2012-2459, cannot arise).
 */
import { taggedHash } from './hash';

export function merkleRoot(txIds: readonly Uint8Array[]): Uint8Array {
  if (txIds.length === 0) return taggedHash('medchain/merkle-empty');
  let level = txIds.map((id) => taggedHash('medchain/merkle-leaf', id));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1];
      next.push(right ? taggedHash('medchain/merkle-node', left, right) : left);
    }
    level = next;
  }
  return level[0]!;
}
