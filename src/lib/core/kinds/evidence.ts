/**
 * Evidence (docs/consensus.md): two votes one validator signed that no honest
 * validator signs together. Anyone may submit it; what is checked is the two
 * votes inside, each carrying the validator's own signature.
 */
import { encodeWith } from '../encoding';
import { MAX_EVIDENCE_TX, VotePhase } from '../payload-fields';
import { txSignatureCheck, verifies } from '../signature-check';
import { TX_VERSION, TxKind, encodeTx } from '../tx';
import { equivocates, readEvidence } from '../vote-read';
import { approval } from './approval';
import { SIG, exampleBytes } from './codec';
import { evidenceSlot, fail } from './rule-kit';
import type { KindSpec } from './spec';

/** Two encoded Approval transactions by one validator that no honest validator signs together. */
export type EvidencePayload = { kind: typeof TxKind.Evidence; first: Uint8Array; second: Uint8Array };

/** An encoded (unsigned) example vote for `block` at height 5, round 2: two of them equivocate. */
function exampleVote(block: number): Uint8Array {
  const payload = encodeWith(approval.write, { kind: TxKind.Approval, block: exampleBytes(block), height: 5, round: 2, phase: VotePhase.Precommit });
  return encodeTx({ version: TX_VERSION, kind: TxKind.Approval, author: exampleBytes(42), nonce: 2, time: 0, payload, signature: exampleBytes(0, SIG) });
}

/** Evidence's entry in the registry (kinds/index.ts). */
export const evidence: KindSpec<typeof TxKind.Evidence, EvidencePayload> = {
  kind: TxKind.Evidence,
  write: (w, p) => {
    w.bytes(p.first, MAX_EVIDENCE_TX).bytes(p.second, MAX_EVIDENCE_TX);
  },
  read: (r) => ({ kind: TxKind.Evidence, first: r.bytes(MAX_EVIDENCE_TX, 'evidence'), second: r.bytes(MAX_EVIDENCE_TX, 'evidence') }),
  apply: (ledger, p, t) => {
    // Evidence is two well-formed votes that equivocate: one validator, one height, round and phase, two choices.
    const votes = readEvidence(p.first, p.second);
    if (!votes || !equivocates(votes[0], votes[1])) fail('BAD_EVIDENCE', 'not two conflicting votes of one validator');
    const [a] = votes;
    // Both votes carry the validator's own valid signature, so no one can frame a hospital.
    if (!votes.every((v) => verifies(t.verifier, txSignatureCheck(v.tx, t.network))))
      fail('BAD_EVIDENCE', 'a vote in the evidence is not signed by its validator');
    // Only an admitted hospital's votes count, so only its equivocation is evidence.
    if (!ledger.hospitals.get(a.validator)?.member) fail('BAD_EVIDENCE', 'the accused is not an admitted hospital');
    // One validator's equivocation at one height is recorded once (more rounds add nothing an auditor needs).
    const at = evidenceSlot(a.validator, a.height);
    if (ledger.evidence.has(at)) fail('ALREADY_DONE', 'this equivocation is already recorded');
    ledger.evidence.set(at, t.txId);
  },
  codes: ['BAD_EVIDENCE', 'ALREADY_DONE'],
  signer: 'anyone',
  proofs: (p, _tx, network) => (readEvidence(p.first, p.second) ?? []).map((v) => txSignatureCheck(v.tx, network)),
  subjects: null,
  blobs: null,
  example: { kind: TxKind.Evidence, first: exampleVote(43), second: exampleVote(44) },
};
