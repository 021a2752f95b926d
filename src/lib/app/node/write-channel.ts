/**
 * Writes from a follower tab reach the writer tab (SPEC §2: same-origin tabs
 * are one node with one writer; issue 6). bootNode's submitTx throws in a
 * follower, so a follower posts the encoded transaction on a
 * BroadcastChannel named after the profile's store; the writer tab decodes
 * it, submits it to its node and posts the result back. Bytes from another
 * tab are outside data: a message that does not decode is answered with an
 * `invalid` result, never thrown.
 */
import type { AddTxResult } from '../../core/chain';
import { type Tx, decodeTx, encodeTx } from '../../core/tx';

type Request = { readonly type: 'submit'; readonly id: string; readonly tx: Uint8Array };
type Reply = { readonly type: 'result'; readonly id: string; readonly result: AddTxResult };

/** The channel's name for the store `dbName` (one per network and profile). */
export const writeChannelName = (dbName: string) => `medchain-writes/${dbName}`;

export interface WriteRouter {
  /** Sends `tx` to the writer tab; rejects when no writer answers within the timeout. */
  forward(tx: Tx): Promise<AddTxResult>;
  close(): void;
}

/**
 * Opens the route. `writer()` returns this tab's submit function while it is
 * the writer (it then answers other tabs), else null.
 */
export function openWriteRouter(dbName: string, writer: () => ((tx: Tx) => Promise<AddTxResult>) | null, timeoutMs = 15_000): WriteRouter {
  const channel = new BroadcastChannel(writeChannelName(dbName));
  const waiting = new Map<string, (r: AddTxResult) => void>();
  channel.onmessage = (e: MessageEvent<Request | Reply>) => {
    const m = e.data;
    if (m?.type === 'result' && typeof m.id === 'string') return void waiting.get(m.id)?.(m.result);
    if (m?.type !== 'submit' || typeof m.id !== 'string' || !(m.tx instanceof Uint8Array)) return;
    const submit = writer();
    if (!submit) return;
    let tx: Tx;
    try {
      tx = decodeTx(m.tx);
    } catch {
      return channel.postMessage({ type: 'result', id: m.id, result: { status: 'invalid', key: '', reason: 'undecodable transaction' } } satisfies Reply);
    }
    void submit(tx).then((result) => channel.postMessage({ type: 'result', id: m.id, result } satisfies Reply));
  };
  return {
    forward(tx) {
      const id = crypto.randomUUID();
      return new Promise<AddTxResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error('the writer tab did not answer'));
        }, timeoutMs);
        waiting.set(id, (r) => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(r);
        });
        channel.postMessage({ type: 'submit', id, tx: encodeTx(tx) } satisfies Request);
      });
    },
    close: () => channel.close(),
  };
}
