/**
 * Verifying a chain file with its signatures checked ahead (issue 7): the
 * same report as `verifyChainFile` (the stepwise core underneath is the
 * same), every signature answered by the priming and none by the fallback
 * on a good file, and the same first bad block and rule on a bad one;
 * read in chunks (issue 13 #7) with the same reports, a bad header refused
 * before anything behind it is read or any signature checked.
 */
import { describe, expect, it } from 'vitest';
import { type Block, blockHash, encodeBlock } from '../../../src/lib/core/block';
import { encodeChainFile } from '../../../src/lib/core/chainfile';
import { demoChain } from '../../../src/lib/core/demo';
import { nobleVerifier, type SignatureVerifier } from '../../../src/lib/core/signature';
import { headerPrecheck } from '../../../src/lib/core/header-precheck';
import { verifyChainFile } from '../../../src/lib/core/verify-chain';
import { blobChunks } from '../../../src/lib/adapters/blob-chunks';
import { verifyChainAhead } from '../../../src/lib/adapters/verify-file';
import type { BatchVerifier } from '../../../src/lib/adapters/verify-pool';
import { inThreadBatchVerifier } from '../../../src/lib/adapters/webcrypto-ed25519';
import { blockSignatureChecks } from '../../../src/lib/core/net/block-signatures';
import { craftedChainFile, rechunk } from '../core/crafted-chain-file';

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
    expect(ahead.signatures).toBe(demo.blocks.reduce((n, b) => n + blockSignatureChecks(b, blockHash(demo.blocks[0]!)).length, 0));
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

  it('read in chunks (a Blob in slices) it gives what verifyChainFile gives, for a good and a cut file', async () => {
    const bytes = fileOf(demo.blocks.slice(0, 12));
    const plain = verifyChainFile(bytes, NOW);
    const sliced = await verifyChainAhead(blobChunks(new Blob([new Uint8Array(bytes)]), 997), NOW, { chunkBlocks: 3 });
    expect(sliced.report.ok && plain.ok && [sliced.report.height, sliced.report.tipHash]).toEqual([11, plain.ok && plain.tipHash]);
    const cut = bytes.slice(0, bytes.length - 3);
    const r = await verifyChainAhead(blobChunks(new Blob([new Uint8Array(cut)]), 997), NOW);
    expect(r.report).toEqual(verifyChainFile(cut, NOW));
    expect(r.report).toMatchObject({ ok: false, kind: 'damaged' });
  });

  it('groups are bounded in bytes as well as blocks: a small byte budget still verifies, every signature answered ahead', async () => {
    const bytes = fileOf(demo.blocks);
    const fallback = counting();
    const ahead = await verifyChainAhead(rechunk([bytes], 4096), NOW, { chunkBytes: 1, fallback });
    expect(ahead.report.ok && ahead.report.height).toBe(40);
    expect(fallback.calls).toBe(0);
  });

  it('a header failing its work read ahead of an earlier bad block: the earlier block is named', async () => {
    const k = demo.blocks.findIndex((b, i) => i > 20 && b.txs.length > 1);
    const blocks = demo.blocks.map((b, i) => {
      if (i === k) return { ...b, txs: b.txs.map((t, j) => (j === 1 ? { ...t, signature: new Uint8Array(64) } : t)) };
      if (i !== k + 2) return b;
      for (let nonce = b.header.nonce + 1; ; nonce++)
        if (headerPrecheck(demo.params, NOW, { ...b.header, nonce }, encodeBlock(b).length)?.code === 'HIGH_HASH')
          return { ...b, header: { ...b.header, nonce } };
    });
    const bytes = fileOf(blocks);
    const ahead = await verifyChainAhead(rechunk([bytes], 1024), NOW, { chunkBlocks: 2 });
    expect(ahead.report).toMatchObject({ ok: false, kind: 'bad-block', index: k, code: 'BAD_TX_SIGNATURE' });
    expect(ahead.report).toEqual(verifyChainFile(bytes, NOW));
  });

  it('a crafted 64 MiB file whose first block fails its work: refused having read about one chunk, no signature checked', async () => {
    let pulled = 0;
    async function* source() {
      for (const c of rechunk(craftedChainFile(demo.params, NOW, 8), 65536)) {
        pulled += c.length;
        yield c;
      }
    }
    const ahead = await verifyChainAhead(source(), NOW);
    expect(ahead.report).toMatchObject({ ok: false, kind: 'bad-block', index: 0, code: 'HIGH_HASH' });
    expect(ahead.signatures).toBe(0);
    expect(pulled).toBeLessThanOrEqual(65536 + 64);
  });
});
