/**
 * The QR reader's Web Worker: camera frames are searched for a code off the
 * page's thread, so the live view and the page stay smooth while ZXing
 * works (tens of milliseconds a frame). The detector is chosen once, on the
 * first frame (qr-detect.ts); the page ends the worker when it stops
 * scanning. The polyfill's JavaScript is imported statically (about 60 KB,
 * only into this worker, which stays one file); its WebAssembly is fetched
 * only when the polyfill is used.
 */
import { chooseDetector, firstQrText, type DetectorClass, type QrDetector } from './qr-detect';
import type { ReadReply, ReadRequest } from './qr-read-messages';
import { zxingDetector } from './qr-zxing';

const scope = self as unknown as {
  BarcodeDetector?: DetectorClass;
  postMessage(message: ReadReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ReadRequest>) => void): void;
};

let detector: Promise<QrDetector> | null = null;

async function read({ id, frame }: ReadRequest): Promise<ReadReply> {
  try {
    detector ??= chooseDetector(scope.BarcodeDetector, async () => zxingDetector());
    return { id, ok: true, text: firstQrText(await (await detector).detect(frame)) };
  } catch (error) {
    // The page gets a code, not the exception: it tells the clinician to type the id instead.
    console.error('medchain: the QR reader failed', error);
    detector = null;
    return { id, ok: false, code: 'READER_FAILED' };
  } finally {
    frame.close();
  }
}

scope.addEventListener('message', (event) => {
  void read(event.data).then((reply) => scope.postMessage(reply));
});
