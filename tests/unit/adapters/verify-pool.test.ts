/**
 * Signature checks on verifying workers (issue 7): the packed batch format,
 * the worker's host (run here over a MessageChannel, as the worker runs it)
 * and the page's pool give the answers WebCrypto gives in the page, in
 * order; a worker that fails or answers garbage is dropped and its checks
 * are answered by the fallback; a batch nobody could check is rejected (no
 * answer rather than a wrong one), and the primed verifier then remembers
 * nothing of it.
 */
import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { nobleVerifier, publicKeyOf, sign } from '../../../src/lib/core/signature';
import type { SignatureCheck } from '../../../src/lib/core/net/block-signatures';
import { packChecks, unpackChecks } from '../../../src/lib/adapters/verify-batch';
import { serveVerifier } from '../../../src/lib/adapters/verify-host';
import { type BatchVerifier, VerifyPool, type VerifyWorker } from '../../../src/lib/adapters/verify-pool';
import { blockPreparer, primedVerifier, verifyWebCrypto } from '../../../src/lib/adapters/webcrypto-ed25519';

/** `n` checks: valid ones, with every fifth signature and every seventh message changed. */
function checks(n: number): SignatureCheck[] {
  const secret = new Uint8Array(32).fill(9);
  const publicKey = publicKeyOf(secret);
  return Array.from({ length: n }, (_, i) => {
    const message = new Uint8Array(32 + (i % 3)).fill(i & 0xff);
    const signature = sign(message, secret);
    if (i % 5 === 0) signature[10]! ^= 1;
    return { signature, publicKey, message: i % 7 === 0 ? message.map((b) => b ^ 2) : message };
  });
}

const expected = (items: readonly SignatureCheck[]) => items.map((c) => nobleVerifier.verify(c.signature, c.message, c.publicKey));
const inThread: BatchVerifier = (items) => Promise.all(items.map((i) => verifyWebCrypto(i.signature, i.message, i.publicKey)));

/** A worker twin: the real host over a MessageChannel. */
function hostWorker(): VerifyWorker & { posted: number } {
  const { port1, port2 } = new MessageChannel();
  serveVerifier({ post: (m, t) => port2.postMessage(m, t as never), listen: (cb) => port2.on('message', cb) }, (c) =>
    verifyWebCrypto(c.signature, c.message, c.publicKey),
  );
  const w = {
    posted: 0,
    postMessage(m: unknown, t: Transferable[]) {
      w.posted++;
      port1.postMessage(m, t as never);
    },
    addEventListener(type: string, cb: (e: { data: unknown }) => void) {
      if (type === 'message') port1.on('message', (data) => cb({ data }));
    },
    terminate() {
      port1.close();
    },
  };
  return w;
}

/** A worker that fails as soon as it is asked (did not load, threw). */
function brokenWorker(): VerifyWorker {
  let onError: () => void = () => {};
  return {
    postMessage: () => setTimeout(() => onError(), 1),
    addEventListener: (type: string, cb: () => void) => {
      if (type === 'error') onError = cb;
    },
    terminate: () => {},
  } as unknown as VerifyWorker;
}

describe('packed batches', () => {
  it('round-trip; a truncated or padded buffer is refused whole', () => {
    const items = checks(9);
    const packed = packChecks(items);
    const back = unpackChecks(packed)!;
    expect(back.map((c) => [...c.signature, ...c.publicKey, ...c.message])).toEqual(items.map((c) => [...c.signature, ...c.publicKey, ...c.message]));
    expect(unpackChecks(packed.subarray(0, packed.length - 1))).toBeNull();
    expect(unpackChecks(new Uint8Array([...packed, 0]))).toBeNull();
    expect(unpackChecks(new Uint8Array(2))).toBeNull();
  });
});

describe('verify pool', () => {
  it('answers as WebCrypto does in this thread, in order, split across its workers', async () => {
    const workers = [hostWorker(), hostWorker()];
    let spawned = 0;
    const pool = new VerifyPool(
      () => workers[spawned++]!,
      2,
      () => Promise.reject(new Error('no fallback expected')),
    );
    const items = checks(300);
    expect(await pool.verify(items)).toEqual(expected(items));
    expect(workers.map((w) => w.posted)).toEqual([1, 1]);
    pool.close();
  });

  it('a worker that fails is dropped: its part and later batches are answered by the fallback', async () => {
    const good = hostWorker();
    const made = [brokenWorker(), good];
    let fellBack = 0;
    const pool = new VerifyPool(
      () => made.shift()!,
      2,
      (items) => ((fellBack += items.length), inThread(items)),
    );
    const items = checks(200);
    expect(await pool.verify(items)).toEqual(expected(items));
    expect(fellBack).toBe(100);
    expect(pool.size).toBe(1);
    expect(await pool.verify(items)).toEqual(expected(items));
    pool.close();
  });

  it('an answer of the wrong length drops the worker; nothing at all to check with rejects the batch', async () => {
    let onMessage: (e: { data: unknown }) => void = () => {};
    const liar = {
      postMessage: (m: { id: number }) => setTimeout(() => onMessage({ data: { id: m.id, results: new Uint8Array(1) } }), 1),
      addEventListener: (type: string, cb: (e: { data: unknown }) => void) => {
        if (type === 'message') onMessage = cb;
      },
      terminate: () => {},
    } as unknown as VerifyWorker;
    const pool = new VerifyPool(
      () => liar,
      1,
      () => Promise.reject(new Error('engine gone')),
    );
    await expect(pool.verify(checks(100))).rejects.toThrow('engine gone');
    expect(pool.size).toBe(0);
  });

  it('a primed verifier whose engine failed remembers nothing: the fallback answers every check', async () => {
    let slow = 0;
    const v = primedVerifier({ verify: (s, m, p) => (slow++, nobleVerifier.verify(s, m, p)) }, 1000, () => Promise.reject(new Error('gone')));
    const items = checks(12);
    await v.prime(items);
    expect(items.map((c) => v.verify(c.signature, c.message, c.publicKey))).toEqual(expected(items));
    expect(slow).toBe(12);
  });

  it('a primed verifier answers from its priming only for the same signature, message and key', async () => {
    let slow = 0;
    const v = primedVerifier({ verify: (s, m, p) => (slow++, nobleVerifier.verify(s, m, p)) }, 1000, inThread);
    const items = checks(12);
    await v.prime(items);
    const other = items[1]!.message.map((b) => b ^ 4);
    expect(v.verify(items[1]!.signature, other, items[1]!.publicKey)).toBe(false);
    expect(slow).toBe(1);
    expect(items.map((c) => v.verify(c.signature, c.message, c.publicKey))).toEqual(expected(items));
    expect(slow).toBe(1);
  });

  it("a node's block preparer gets the engine ready at once (the workers load while channels open), before any block", () => {
    const calls: number[] = [];
    const v = primedVerifier(nobleVerifier, 10, (items) => (calls.push(items.length), inThread(items)));
    expect(blockPreparer(v, new Uint8Array(32))).not.toBeNull();
    expect(calls).toEqual([0]);
    expect(blockPreparer(nobleVerifier, new Uint8Array(32))).toBeNull();
  });
});
