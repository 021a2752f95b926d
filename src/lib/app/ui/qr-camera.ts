/**
 * The camera side of scanning a patient's QR code (SPEC §2, §7): opening the
 * back camera, turning a getUserMedia failure into a message a clinician can
 * act on, grabbing video frames as pixels for the core's decoder, and
 * stopping the camera. The decoding itself is pure (core/qr/decode.ts).
 */
import type { RgbaImage } from '../../core/qr/decode';

/** Frames are scaled down so the longer side is at most this many pixels: decoding stays well under 100 ms. */
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

/** What to tell the clinician when the camera cannot be opened; typing the short id always remains. */
export function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'The camera was not allowed. Allow it in the browser’s site settings to scan, or type the patient id instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found on this device. Type the patient id instead.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is in use by another app or could not start. Close the other app and try again, or type the patient id.';
    case 'NotSupportedError':
      return 'This browser cannot use a camera on this page. Type the patient id instead.';
    default:
      return 'The camera could not be opened. Type the patient id instead.';
  }
}

/** Copies the current video frame into pixels through one reused offscreen canvas. */
export class FrameGrabber {
  private canvas: HTMLCanvasElement | null = null;
  private context: CanvasRenderingContext2D | null = null;

  /** The frame showing now, scaled down to at most {@link MAX_SIDE}; null before the first frame. */
  grab(video: HTMLVideoElement): RgbaImage | null {
    const vw = video.videoWidth;
    const vh = video.videoHeight;
    if (vw === 0 || vh === 0 || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return null;
    const scale = Math.min(1, MAX_SIDE / Math.max(vw, vh));
    const width = Math.round(vw * scale);
    const height = Math.round(vh * scale);
    if (!this.canvas) {
      this.canvas = document.createElement('canvas');
      this.context = this.canvas.getContext('2d', { willReadFrequently: true });
    }
    if (!this.context) return null;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.context.drawImage(video, 0, 0, width, height);
    return this.context.getImageData(0, 0, width, height);
  }
}
