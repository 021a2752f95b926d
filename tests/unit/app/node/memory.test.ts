/**
 * The in-memory NodeAccess twin (src/lib/app/node/memory.ts): writes go
 * through the chain's rules, mining makes real blocks, blobs are checked
 * against their hash, "verify chain" replays every block and catches a
 * tampered one, and the demo set-up (demo-network.ts) writes patients and
 * sealed records through it.
 */
import { describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { blobRefOf } from '../../../../src/lib/core/blobs';
import { ChainState } from '../../../../src/lib/core/chain';
import { demoChain } from '../../../../src/lib/core/demo';
import { encodePayload } from '../../../../src/lib/core/payloads';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { Prng } from '../../../../src/lib/core/prng';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { signTx } from '../../../../src/lib/core/sign-tx';
import { TxKind } from '../../../../src/lib/core/tx';
import { foundingGenesis, seedDemo } from '../../../../src/lib/app/node/demo-network';
import { MemoryNodeAccess } from '../../../../src/lib/app/node/memory';
import type { NodeAccess } from '../../../../src/lib/app/node-access';
import { ledgerRules } from '../../../../src/lib/core/rules';

const T0 = 1_767_225_600;

function founded(seed: string) {
  const prng = new Prng(seed);
  const secret = prng.bytes(32);
  const hospital = { secret, pub: publicKeyOf(secret) };
  const genesis = foundingGenesis(TEST_PARAMS, hospital, x25519.getPublicKey(prng.bytes(32)), T0);
  return { prng, node: new MemoryNodeAccess(new ChainState(TEST_PARAMS, genesis, T0, { rules: ledgerRules }), { minerKey: hospital.pub }) };
}

function registration(prng: Prng, time: number, network: Uint8Array) {
  const secret = prng.bytes(32);
  return signTx(
    network,
    { kind: TxKind.RegisterPatient, nonce: 1, time, payload: encodePayload({ kind: TxKind.RegisterPatient, boxKey: prng.bytes(32) }) },
    secret,
  );
}

describe('MemoryNodeAccess', () => {
  it('pools a valid write, tells listeners, and mines it into a block', async () => {
    const { prng, node } = founded('memory/pool');
    let calls = 0;
    const off = node.onChange(() => calls++);
    const r = await node.submit(registration(prng, node.now(), node.chain()!.genesis.hash));
    expect(r.status).toBe('added');
    expect(node.status().pending).toBe(1);
    expect(calls).toBe(1);
    expect(node.mine().status).toBe('accepted');
    expect(node.status()).toMatchObject({ height: 1, pending: 0, finalHeight: 0 });
    expect(node.chain().txHeight(r.key)).toBe(1);
    node.finalize(1);
    expect(node.status().finalHeight).toBe(1);
    off();
    node.mine();
    expect(calls).toBe(3);
  });

  it('refuses a write the ledger rejects, with a code', async () => {
    const { prng, node } = founded('memory/refuse');
    const tx = registration(prng, node.now(), node.chain()!.genesis.hash);
    await node.submit(tx);
    node.mine();
    const again = await node.submit(tx);
    expect(again.status).toBe('in-chain');
    const forged = { ...registration(prng, node.now(), node.chain()!.genesis.hash), signature: new Uint8Array(64) };
    expect((await node.submit(forged)).status).toBe('invalid');
  });

  it('keeps blobs under their hash and refuses bytes that do not match', async () => {
    const { node } = founded('memory/blobs');
    const bytes = new TextEncoder().encode('sealed bytes');
    const ref = blobRefOf(bytes);
    expect(await node.getBlob(ref)).toBeNull();
    expect(await node.putBlob(ref, bytes)).toEqual({ ok: true });
    expect(await node.getBlob(ref)).toEqual(bytes);
    expect((await node.putBlob(ref, new TextEncoder().encode('other bytes!'))).ok).toBe(false);
  });

  it('verifies a good chain and names the first tampered block', async () => {
    const { chain } = demoChain({ blocks: 8, seed: 'memory/verify', params: TEST_PARAMS });
    const node = new MemoryNodeAccess(chain);
    expect(await node.verifyChain()).toEqual({ ok: true, height: 8 });
    const victim = chain.atHeight(5)!.block;
    // Damage the block in memory as a bad disk would: one transaction more than its header commits to.
    (victim as unknown as { txs: unknown[] }).txs = [...victim.txs, registration(new Prng('tamper'), victim.header.time, chain.genesis.hash)];
    const r = await node.verifyChain();
    expect(r.ok).toBe(false);
    expect(r.height).toBe(5);
  });

  it('writes the demo network: patients registered and one sealed record each, blobs stored', async () => {
    const { prng, node } = founded('memory/demo');
    // A miner that mines whenever a write is pooled, as the node's miner does.
    node.onChange(() => {
      if (node.status().pending > 0) queueMicrotask(() => node.status().pending > 0 && node.mine());
    });
    await seedDemo(node, (n) => prng.bytes(n));
    while (node.status().pending > 0) node.mine();
    const ledger = node.ledger()!;
    expect(ledger.patients.size).toBe(3);
    // What a screen is handed is read-only: the type checker (svelte-check over the tests) refuses a change.
    const screen: NodeAccess = node;
    const view = screen.ledger()!;
    // @ts-expect-error a screen's ledger has no set
    expect(() => view.patients.set('x', ledger.patients.values().next().value!)).toThrow();
    // @ts-expect-error nor the methods that change the ledger
    expect(typeof view.change).toBe('function');
    expect(screen.chain()!.ledger).toBe(view);
    const records = [...ledger.records.values()];
    expect(records).toHaveLength(3);
    for (const r of records) {
      expect(r.hospital).toBeNull();
      expect(r.blobs.length).toBeGreaterThanOrEqual(2);
      for (const hash of r.blobs) expect(await node.blobs.has(hash)).toBe(true);
    }
    expect((await node.verifyChain()).ok).toBe(true);
  });
});
