/**
 * The signatures a block's validation checks, listed ahead (issue 7): the
 * list must hold every check the chain makes (transaction signatures and
 * payload proofs), so a primed verifier never falls back to the slow engine.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/lib/core/bytes';
import { ChainState } from '../../../../src/lib/core/chain';
import { demoChain } from '../../../../src/lib/core/demo';
import { blockSignatureChecks } from '../../../../src/lib/core/net/block-signatures';
import { nobleVerifier, type SignatureVerifier } from '../../../../src/lib/core/signature';
import { TxKind } from '../../../../src/lib/core/tx';
import { ledgerRules } from '../../../../src/lib/core/rules';

const key = (s: Uint8Array, m: Uint8Array, p: Uint8Array) => `${toHex(s)}/${toHex(m)}/${toHex(p)}`;

describe('blockSignatureChecks', () => {
  it('lists every signature the chain checks on a demo chain, staff and rotation proofs included', () => {
    const demo = demoChain({ blocks: 40, seed: 'block-signatures' });
    const kinds = demo.blocks.flatMap((b) => b.txs.map((t) => t.kind));
    expect(kinds).toContain(TxKind.CertifyStaff);
    expect(kinds).toContain(TxKind.RotatePatientKeys);
    const listed = new Set(demo.blocks.flatMap((b) => blockSignatureChecks(b, demo.chain.genesis.hash).map((c) => key(c.signature, c.message, c.publicKey))));
    const checked: string[] = [];
    const verifier: SignatureVerifier = {
      verify(s, m, p) {
        checked.push(key(s, m, p));
        return nobleVerifier.verify(s, m, p);
      },
    };
    const now = demo.blocks.at(-1)!.header.time + 60;
    const chain = new ChainState(demo.params, demo.blocks[0]!, now, { verifier, rules: ledgerRules });
    for (const b of demo.blocks.slice(1)) expect(chain.addBlock(b, now).status).toBe('accepted');
    const txCount = demo.blocks.reduce((n, b) => n + b.txs.length, 0);
    const proofs = kinds.filter((k) => k === TxKind.CertifyStaff || k === TxKind.RotatePatientKeys).length;
    expect(checked.length).toBe(txCount + proofs);
    expect(checked.filter((c) => !listed.has(c))).toEqual([]);
    expect(listed.size).toBe(txCount + proofs);
  });

  it('a payload that does not decode adds no proof (the chain refuses the block anyway)', () => {
    const demo = demoChain({ blocks: 40, seed: 'block-signatures' });
    const block = demo.blocks.find((b) => b.txs.some((t) => t.kind === TxKind.RotatePatientKeys))!;
    const broken = { ...block, txs: block.txs.map((t) => (t.kind === TxKind.RotatePatientKeys ? { ...t, payload: new Uint8Array(3) } : t)) };
    const rotations = block.txs.filter((t) => t.kind === TxKind.RotatePatientKeys).length;
    expect(blockSignatureChecks(broken, demo.chain.genesis.hash).length).toBe(blockSignatureChecks(block, demo.chain.genesis.hash).length - rotations);
  });
});
