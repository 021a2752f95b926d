/**
 * Approval (docs/consensus.md): a validator's vote — prevote or precommit,
 * in a round of the agreement on a height, for a block or for none (all
 * zeros). vote-read.ts reads one as a Vote.
 */
import { HASH_BYTES } from '../hash';
import { VotePhase } from '../payload-fields';
import { TxKind } from '../tx';
import { exampleBytes, readEnum } from './codec';
import { fail } from './rule-kit';
import type { KindSpec } from './spec';

/**
 * A validator's vote (docs/consensus.md): `phase` 1 = prevote, 2 = precommit,
 * in `round` of the agreement on `height`; `block` all zeros is a vote for no block (nil).
 */
export type ApprovalPayload = { kind: typeof TxKind.Approval; block: Uint8Array; height: number; round: number; phase: VotePhase };

/** Approval's entry in the registry (kinds/index.ts). */
export const approval: KindSpec<typeof TxKind.Approval, ApprovalPayload> = {
  kind: TxKind.Approval,
  write: (w, p) => {
    w.fixed(p.block, HASH_BYTES).u32(p.height).u32(p.round).u8(p.phase);
  },
  read: (r) => {
    const block = r.fixed(HASH_BYTES);
    const height = r.u32('approved height');
    const round = r.u32('round');
    return { kind: TxKind.Approval, block, height, round, phase: readEnum(r, VotePhase, 'vote phase') };
  },
  apply: (ledger, _p, t) => {
    // Votes are cast by admitted hospitals (the validators, docs/consensus.md).
    if (!ledger.hospitals.get(t.author)?.member) fail('NOT_AUTHORISED', 'approver is not an admitted hospital');
  },
  codes: ['NOT_AUTHORISED'],
  signer: 'authority',
  proofs: null,
  subjects: null,
  blobs: null,
  example: { kind: TxKind.Approval, block: exampleBytes(41), height: 12, round: 1, phase: VotePhase.Prevote },
};
