/**
 * Page side of the key derivation: starts a fresh worker per login, passes
 * the inputs, reports progress, and ends the worker when done, so no copy of
 * the inputs outlives the call in a long-lived thread.
 */
import type { DeriveReply, Reveal } from './kdf-messages';

export type DerivedKeys = Extract<DeriveReply, { type: 'done' }>;

export class DeriveError extends Error {
  constructor(readonly code: Extract<DeriveReply, { type: 'failed' }>['code'] | 'WORKER_FAILED') {
    super(`key derivation failed: ${code}`);
  }
}

export function deriveInWorker(
  networkId: string,
  aadhaarDigits: string,
  passphrase: string,
  onProgress: (fraction: number) => void,
  reveal?: Reveal,
): Promise<DerivedKeys> {
  const worker = new Worker(new URL('./kdf.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<DerivedKeys>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<DeriveReply>) => {
      const reply = event.data;
      if (reply.type === 'progress') onProgress(reply.fraction);
      else {
        worker.terminate();
        if (reply.type === 'done') resolve(reply);
        else reject(new DeriveError(reply.code));
      }
    });
    worker.addEventListener('error', () => {
      worker.terminate();
      reject(new DeriveError('WORKER_FAILED'));
    });
    worker.postMessage({ type: 'derive', networkId, aadhaarDigits, passphrase, ...(reveal ? { reveal } : {}) });
  });
}
