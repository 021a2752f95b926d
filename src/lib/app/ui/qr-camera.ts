/**
 * The camera side of scanning a patient's QR code (SPEC §2, §7): opening the
 * back camera, turning a getUserMedia failure into a code the scanner words
 * for the clinician (`care.camera` in the catalogue), grabbing video frames for the reader worker (qr-reader.ts), and
 * stopping the camera.
 */

/** Frames are scaled down so the longer side is at most this many pixels: reading one stays well under 100 ms. */
const MAX_SIDE = 800;

/** Asks for the back camera (any camera will do on a laptop), video only. */
export function openCamera(): Promise<MediaStream> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia)
    return Promise.reject(new DOMException('no mediaDevices', 'NotSupportedError'));
  return navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
  });
}

/** Stops every track, so the camera light goes off. */
export function stopCamera(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/**
 * Why scanning cannot go on: the camera was refused (NOT_ALLOWED), there is
 * none (NO_CAMERA), it is busy (IN_USE), the page cannot use one
 * (NOT_SUPPORTED), it failed otherwise (FAILED), or the code reader itself
 * cannot run (READER_FAILED: its WebAssembly did not load). Typing the short
 * id always remains.
 */
export type CameraProblem = 'NOT_ALLOWED' | 'NO_CAMERA' | 'IN_USE' | 'NOT_SUPPORTED' | 'FAILED' | 'READER_FAILED';

/** The code of a getUserMedia failure, by the error's name. */
export function cameraProblem(error: unknown): CameraProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'NOT_ALLOWED';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'NO_CAMERA';
    case 'NotReadableError':
    case 'AbortError':
      return 'IN_USE';
    case 'NotSupportedError':
      return 'NOT_SUPPORTED';
    default:
      return 'FAILED';
  }
}

/**
 * The frame showing now as a bitmap, scaled down to at most {@link MAX_SIDE}
 * pixels on its longer side, ready to hand to the reader worker without a
 * copy; null before the first frame. The browser scales it off the page's
 * thread, so the page never touches the pixels.
 */
export async function grabFrame(video: HTMLVideoElement): Promise<ImageBitmap | null> {
  const vw = video.videoWidth;
  const vh = video.videoHeight;
  if (vw === 0 || vh === 0 || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return null;
  const scale = Math.min(1, MAX_SIDE / Math.max(vw, vh));
  try {
    return await createImageBitmap(video, { resizeWidth: Math.round(vw * scale), resizeHeight: Math.round(vh * scale), resizeQuality: 'medium' });
  } catch (error) {
    // The video lost its frame in between (the camera was closing): no frame this time.
    void error;
    return null;
  }
}
