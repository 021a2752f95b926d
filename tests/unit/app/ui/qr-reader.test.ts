/**
 * The page's side of the reader worker (qr-reader.ts), over a stand-in
 * Worker: each frame is handed over (transferred) and its answer comes back
 * to the right caller; a closed reader answers "no code" and drops frames;
 * a worker that fails to load fails every reading.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadReply, ReadRequest } from '../../../../src/lib/app/ui/qr-read-messages';
import { QrReader } from '../../../../src/lib/app/ui/qr-reader';

class FakeWorker extends EventTarget {
  static made: FakeWorker[] = [];
  readonly posted: { message: ReadRequest; transfer: Transferable[] }[] = [];
  terminated = false;
  constructor(readonly url: URL) {
    super();
    FakeWorker.made.push(this);
  }
  postMessage(message: ReadRequest, transfer: Transferable[]): void {
    this.posted.push({ message, transfer });
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(data: ReadReply): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

type FakeFrame = ImageBitmap & { closed: boolean };

function frame(): FakeFrame {
  const fake = { width: 8, height: 8, closed: false, close: () => void (fake.closed = true) };
  return fake as unknown as FakeFrame;
}

const realWorker = (globalThis as { Worker?: unknown }).Worker;
beforeEach(() => {
  FakeWorker.made = [];
  (globalThis as { Worker?: unknown }).Worker = FakeWorker;
});
afterEach(() => {
  (globalThis as { Worker?: unknown }).Worker = realWorker;
});

describe('QrReader', () => {
  it('starts one module worker, transfers each frame and pairs each answer with its frame', async () => {
    const reader = new QrReader();
    const [worker] = FakeWorker.made;
    expect(FakeWorker.made).toHaveLength(1);
    expect(worker!.url.pathname).toMatch(/qr-reader\.worker\.ts$/);
    const a = frame();
    const b = frame();
    const first = reader.read(a);
    const second = reader.read(b);
    expect(worker!.posted.map((p) => p.message.frame)).toEqual([a, b]);
    expect(worker!.posted.map((p) => p.transfer)).toEqual([[a], [b]]);
    const [idA, idB] = worker!.posted.map((p) => p.message.id);
    worker!.reply({ id: idB!, ok: true, text: 'medchain:patient?second' });
    worker!.reply({ id: idA!, ok: true, text: null });
    expect(await second).toEqual({ ok: true, text: 'medchain:patient?second' });
    expect(await first).toEqual({ ok: true, text: null });
  });

  it('passes a reader failure on as a code', async () => {
    const reader = new QrReader();
    const pending = reader.read(frame());
    const [worker] = FakeWorker.made;
    worker!.reply({ id: worker!.posted[0]!.message.id, ok: false, code: 'READER_FAILED' });
    expect(await pending).toEqual({ ok: false, code: 'READER_FAILED' });
  });

  it('closed: the worker ends, a reading on its way and any later frame answer "no code", and the later frame is closed', async () => {
    const reader = new QrReader();
    const [worker] = FakeWorker.made;
    const pending = reader.read(frame());
    reader.close();
    expect(worker!.terminated).toBe(true);
    expect(await pending).toEqual({ ok: true, text: null });
    const late = frame();
    expect(await reader.read(late)).toEqual({ ok: true, text: null });
    expect(late.closed).toBe(true);
    expect(worker!.posted).toHaveLength(1);
  });

  it('a worker that fails to load fails the reading on its way and every later one', async () => {
    const reader = new QrReader();
    const [worker] = FakeWorker.made;
    const pending = reader.read(frame());
    worker!.dispatchEvent(new Event('error'));
    expect(await pending).toEqual({ ok: false, code: 'READER_FAILED' });
    const late = frame();
    expect(await reader.read(late)).toEqual({ ok: false, code: 'READER_FAILED' });
    expect(late.closed).toBe(true);
  });
});
