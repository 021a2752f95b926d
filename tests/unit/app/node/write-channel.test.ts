/**
 * Follower writes reach the writer tab (src/lib/app/node/write-channel.ts),
 * over Node's BroadcastChannel, which behaves as the browser's between
 * tabs: the writer submits to its node and answers; only the writer answers;
 * bytes that do not decode get an `invalid` answer; with no writer the
 * follower's promise rejects after the timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../../../../src/lib/core/bytes';
import { ChainState } from '../../../../src/lib/core/chain';
import { encodePayload } from '../../../../src/lib/core/payloads';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { Prng } from '../../../../src/lib/core/prng';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { signTx } from '../../../../src/lib/core/sign-tx';
import { TxKind, txId } from '../../../../src/lib/core/tx';
import { foundingGenesis } from '../../../../src/lib/app/node/demo-network';
import { MemoryNodeAccess } from '../../../../src/lib/app/node/memory';
import { openWriteRouter, writeChannelName, type WriteRouter } from '../../../../src/lib/app/node/write-channel';
import { ledgerRules } from '../../../../src/lib/core/rules';

const T0 = 1_767_225_600;
const open: WriteRouter[] = [];
afterEach(() => open.splice(0).forEach((r) => r.close()));

function writerNode(seed: string) {
  const prng = new Prng(seed);
  const secret = prng.bytes(32);
  const genesis = foundingGenesis(TEST_PARAMS, { secret, pub: publicKeyOf(secret) }, x25519.getPublicKey(prng.bytes(32)), T0);
  return { prng, node: new MemoryNodeAccess(new ChainState(TEST_PARAMS, genesis, T0, { rules: ledgerRules })) };
}

const registration = (prng: Prng, time: number, network: Uint8Array) =>
  signTx(
    network,
    { kind: TxKind.RegisterPatient, nonce: 1, time, payload: encodePayload({ kind: TxKind.RegisterPatient, boxKey: prng.bytes(32) }) },
    prng.bytes(32),
  );

describe('write routing between tabs', () => {
  it('a follower write lands in the writer tab’s pool and the result comes back', async () => {
    const { prng, node } = writerNode('route/ok');
    const writer = openWriteRouter('db-ok', () => (tx) => node.submit(tx));
    const follower = openWriteRouter('db-ok', () => null);
    open.push(writer, follower);
    const tx = registration(prng, node.now(), node.chain()!.genesis.hash);
    const r = await follower.forward(tx);
    expect(r).toEqual({ status: 'added', key: toHex(txId(tx)) });
    expect(node.state.pending.has(r.key)).toBe(true);
    expect((await follower.forward(tx)).status).toBe('duplicate');
  });

  it('answers bytes that do not decode with an invalid result', async () => {
    const { node } = writerNode('route/bad');
    open.push(openWriteRouter('db-bad', () => (tx) => node.submit(tx)));
    const raw = new BroadcastChannel(writeChannelName('db-bad'));
    const answer = new Promise<unknown>((resolve) => (raw.onmessage = (e) => (e.data.type === 'result' ? resolve(e.data) : undefined)));
    raw.postMessage({ type: 'submit', id: 'x1', tx: new Uint8Array([1, 2, 3]) });
    expect(await answer).toMatchObject({ id: 'x1', result: { status: 'invalid' } });
    raw.close();
    expect(node.status().pending).toBe(0);
  });

  it('rejects when no tab is the writer', async () => {
    const { prng, node } = writerNode('route/none');
    const a = openWriteRouter('db-none', () => null, 200);
    const b = openWriteRouter('db-none', () => null, 200);
    open.push(a, b);
    await expect(a.forward(registration(prng, node.now(), node.chain()!.genesis.hash))).rejects.toThrow();
  });
});
