/**
 * The page's side of the QR reader worker (qr-reader.worker.ts): one worker
 * per scanning session, one frame at a time, ended when the scanner stops.
 * A reader that has been closed answers "no code" at once, so a frame grabbed
 * just before the camera closed is dropped without a word.
 */
import type { ReadReply, ReadRequest } from './qr-read-messages';

/** A frame's reading, without the id that paired it with its request. */
export type QrRead = { readonly ok: true; readonly text: string | null } | { readonly ok: false; readonly code: 'READER_FAILED' };

const NOTHING: QrRead = { ok: true, text: null };
const FAILED: QrRead = { ok: false, code: 'READER_FAILED' };

export class QrReader {
  private worker: Worker | null = new Worker(new URL('./qr-reader.worker.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private pending = new Map<number, (read: QrRead) => void>();
  private broken = false;

  constructor() {
    // A worker whose script cannot load fails every reading, so the scanner can say so.
    this.worker?.addEventListener('error', () => {
      this.broken = true;
      this.settleAll(FAILED);
    });
    this.worker?.addEventListener('message', (event: MessageEvent<ReadReply>) => {
      const reply = event.data;
      const settle = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      settle?.(reply.ok ? { ok: true, text: reply.text } : FAILED);
    });
  }

  /** Reads `frame` in the worker; the frame is handed over (transferred) and closed there. */
  read(frame: ImageBitmap): Promise<QrRead> {
    if (!this.worker || this.broken) {
      frame.close();
      return Promise.resolve(this.worker ? FAILED : NOTHING);
    }
    const request: ReadRequest = { id: this.nextId++, frame };
    const worker = this.worker;
    return new Promise((resolve) => {
      this.pending.set(request.id, resolve);
      worker.postMessage(request, [frame]);
    });
  }

  /** Ends the worker; readings still on their way answer "no code". */
  close(): void {
    this.worker?.terminate();
    this.worker = null;
    this.settleAll(NOTHING);
  }

  private settleAll(read: QrRead): void {
    for (const settle of this.pending.values()) settle(read);
    this.pending.clear();
  }
}
