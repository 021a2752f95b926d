/**
 * Verifying a chain file with its signatures checked ahead (issue 7): the
 * same report as `verifyChainFile` (the stepwise core underneath is the
 * same), every signature answered by the priming and none by the fallback
 * on a good file, and the same first bad block and rule on a bad one.
 */
import { describe, expect, it } from 'vitest';
import { type Block, encodeBlock } from '../../../src/lib/core/block';
import { encodeChainFile, readChainFile } from '../../../src/lib/core/chainfile';
import { demoChain } from '../../../src/lib/core/demo';
import { nobleVerifier, type SignatureVerifier } from '../../../src/lib/core/signature';
import { verifyChainFile, verifyChainSteps } from '../../../src/lib/core/verify-chain';
import { verifyChainAhead } from '../../../src/lib/adapters/verify-file';
import type { BatchVerifier } from '../../../src/lib/adapters/verify-pool';
import { inThreadBatchVerifier } from '../../../src/lib/adapters/webcrypto-ed25519';
import { blockSignatureChecks } from '../../../src/lib/core/net/block-signatures';

const demo = demoChain({ blocks: 40, seed: 'verify-ahead' });
const NOW = demo.blocks.at(-1)!.header.time + 60;
const fileOf = (blocks: readonly Block[]) => encodeChainFile(demo.params.id, blocks.map(encodeBlock));

function counting(): SignatureVerifier & { calls: number } {
  const v = { calls: 0, verify: (s: Uint8Array, m: Uint8Array, p: Uint8Array) => (v.calls++, nobleVerifier.verify(s, m, p)) };
  return v;
}

describe('verifyChainAhead', () => {
  it('a good file: the same report as verifyChainFile, every signature answered ahead (none by the fallback)', async () => {
    const bytes = fileOf(demo.blocks);
    const fallback = counting();
    const ahead = await verifyChainAhead(bytes, NOW, { chunkBlocks: 7, fallback });
    const plain = verifyChainFile(bytes, NOW);
    expect(ahead.report.ok && plain.ok).toBe(true);
    if (!ahead.report.ok || !plain.ok) return;
    expect(ahead.report.height).toBe(40);
    expect(ahead.report.tipHash).toEqual(plain.tipHash);
    expect(ahead.signatures).toBe(demo.blocks.reduce((n, b) => n + blockSignatureChecks(b).length, 0));
    expect(fallback.calls).toBe(0);
  });

  it('a slow engine: the chunks the core reaches before the engine took them are checked in this thread', async () => {
    const bytes = fileOf(demo.blocks);
    const fallback = counting();
    let engineCalls = 0;
    const slow: BatchVerifier = (items) => {
      engineCalls++;
      return new Promise((resolve) => setTimeout(() => resolve(inThreadBatchVerifier(items)), 150));
    };
    const ahead = await verifyChainAhead(bytes, NOW, { chunkBlocks: 5, engine: slow, fallback });
    expect(ahead.report.ok).toBe(true);
    expect(fallback.calls).toBe(0);
    // 9 chunks: the engine took the first two and a few more as it freed up; this thread took the rest.
    expect(engineCalls).toBeGreaterThanOrEqual(2);
    expect(engineCalls).toBeLessThan(9);
  });

  it('a changed signature: the same first bad block and rule as verifyChainFile', async () => {
    const k = demo.blocks.findIndex((b, i) => i > 20 && b.txs.length > 1);
    const blocks = demo.blocks.map((b, i) => {
      if (i !== k) return b;
      const sig = b.txs[1]!.signature.slice();
      sig[5]! ^= 0x10;
      return { ...b, txs: b.txs.map((t, j) => (j === 1 ? { ...t, signature: sig } : t)) };
    });
    const bytes = fileOf(blocks);
    const ahead = await verifyChainAhead(bytes, NOW, { chunkBlocks: 8 });
    const plain = verifyChainFile(bytes, NOW);
    expect(plain).toMatchObject({ ok: false, kind: 'bad-block', index: k, code: 'BAD_TX_SIGNATURE' });
    expect(ahead.report).toEqual(plain);
  });

  it('the steps yield each block index in order and return what verifyChainFile returns', () => {
    const bytes = fileOf(demo.blocks.slice(0, 12));
    const steps = verifyChainSteps(readChainFile(bytes), NOW);
    const seen: number[] = [];
    for (;;) {
      const r = steps.next();
      if (r.done) {
        expect(r.value.ok).toBe(true);
        break;
      }
      seen.push(r.value);
    }
    expect(seen).toEqual([...Array(12).keys()]);
    const damaged = bytes.slice(0, bytes.length - 3);
    expect([...verifyChainSteps(readChainFile(damaged), NOW)].length).toBeLessThan(12);
    const r = verifyChainFile(damaged, NOW);
    expect(r.ok).toBe(false);
  });
});
