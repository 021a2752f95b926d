/**
 * A hospital validator's memory of the votes it cast (docs/consensus.md rule
 * 9; SPEC §5), as the node persists it: written BEFORE a new vote leaves and
 * restored on start, so a restarted validator never signs a vote that
 * conflicts with one it already sent. The memory and its canonical encoding
 * are the core's (src/lib/core/vote-memory.ts); this file is the node's view.
 */
import type { ValidatorPolicy } from '../core/validator';
import type { VoteMemory } from '../core/vote-memory';

export { type VoteMemory, decodeVoteMemory, encodeVoteMemory } from '../core/vote-memory';

/** What the policy remembers now (null before it has voted at any height). */
export function memoryOf(policy: ValidatorPolicy): VoteMemory | null {
  return policy.memory();
}

/** Gives a fresh policy the remembered memory; its round timer starts again. */
export function restoreMemory(policy: ValidatorPolicy, memory: VoteMemory): void {
  policy.restore(memory);
}
