/**
 * One WebSocket connection to a relay, as the doctor drives it: open it
 * within a timeout (TLS checked against the doctor's {@link Trust}), send
 * JSON frames, and wait for the next text frame that matches — every wait
 * bounded, because a relay that silently drops a frame is exactly what the
 * doctor must report rather than hang on.
 */
import type { IncomingMessage } from 'node:http';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import { TimeoutError, within } from './net-errors';
import type { Trust } from './trust';

/** The relay answered the upgrade with an HTTP status instead of a WebSocket (a proxy with nothing behind it says 502). */
export class UpgradeRefused extends Error {
  override readonly name = 'UpgradeRefused';
  constructor(readonly status: number) {
    super(
      `answered HTTP ${status} instead of a WebSocket${status === 502 || status === 503 || status === 504 ? ' (the proxy has no relay to pass it to: is medchain relay running?)' : ''}`,
    );
  }
}

export class RelayConnection {
  private readonly frames: string[] = [];
  private wake: (() => void) | null = null;
  private closedWith: string | null = null;

  private constructor(
    private readonly ws: WebSocket,
    /** The certificate the relay showed (wss:// only). */
    readonly certificate: PeerCertificate | null,
  ) {
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isBinary) this.frames.push(data.toString());
      this.wake?.();
    });
    ws.on('close', (code: number) => {
      this.closedWith = `the relay closed the connection (code ${code})`;
      this.wake?.();
    });
    ws.on('error', (e: Error) => {
      this.closedWith = e.message;
      this.wake?.();
    });
  }

  /** Opens `url` within `timeoutMs`; rejects with the system's error, an {@link UpgradeRefused} or a timeout. */
  static open(url: string, trust: Trust, timeoutMs: number): Promise<RelayConnection> {
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, ...(trust.ca ? { ca: trust.ca } : {}), headers: { 'user-agent': 'medchain-doctor' } });
    let certificate: PeerCertificate | null = null;
    const opened = new Promise<RelayConnection>((resolve, reject) => {
      ws.once('upgrade', (res: IncomingMessage) => {
        const socket = res.socket as TLSSocket;
        if (typeof socket.getPeerCertificate === 'function') certificate = socket.getPeerCertificate();
      });
      ws.once('unexpected-response', (req, res: IncomingMessage) => {
        req.destroy();
        reject(new UpgradeRefused(res.statusCode ?? 0));
      });
      ws.once('open', () => resolve(new RelayConnection(ws, certificate)));
      ws.once('error', reject);
    });
    return within(timeoutMs, opened, () => ws.terminate());
  }

  /** Sends one frame: an object as JSON, a string as it is. */
  send(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * The first received frame (in order) that `accept` takes, removing it
   * and the frames before it; rejects when none comes within `timeoutMs` or
   * the connection ends.
   */
  async next(accept: (frame: string) => boolean, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.frames.findIndex(accept);
      if (at >= 0) return this.frames.splice(0, at + 1)[at]!;
      if (this.closedWith !== null) throw new Error(this.closedWith);
      const left = deadline - Date.now();
      if (left <= 0) throw new TimeoutError(timeoutMs);
      await within(left, new Promise<void>((resolve) => (this.wake = resolve))).catch((e: unknown) => {
        if (e instanceof TimeoutError) throw new TimeoutError(timeoutMs);
        throw e;
      });
      this.wake = null;
    }
  }

  /** Closes the connection without waiting for the relay. */
  close(): void {
    this.ws.terminate();
  }
}
