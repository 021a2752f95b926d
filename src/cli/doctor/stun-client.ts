/**
 * STUN transactions over UDP (RFC 8489 §6.2.1): a request is retransmitted
 * after 500 ms, then after twice as long each time, until its answer (matched
 * by transaction id) arrives or the caller's timeout passes — UDP loses
 * packets, and a single try would report a healthy TURN server as down. The
 * socket is "connected" to the server so an ICMP "port unreachable" surfaces
 * as an error (nothing listening) instead of a silent timeout.
 */
import { createSocket, type Socket } from 'node:dgram';
import { type StunMessage, decodeStun, encodeStun } from './stun-message';

/** RFC 8489 §6.2.1: the first retransmission after 500 ms, each next one after twice as long. */
const FIRST_RTO_MS = 500;

/** An answer to a request: the decoded message and its bytes (for MESSAGE-INTEGRITY). */
export interface Answer {
  readonly message: StunMessage;
  readonly bytes: Buffer;
}

/** A UDP socket "connected" to one STUN/TURN server. */
export class StunClient {
  private readonly waiting = new Map<string, (answer: Answer) => void>();
  private failure: Error | null = null;
  private onFailure: ((e: Error) => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('message', (bytes: Buffer) => {
      const message = decodeStun(bytes);
      if (!message) return;
      const id = Buffer.from(message.transactionId).toString('hex');
      this.waiting.get(id)?.({ message, bytes });
    });
    socket.on('error', (e: Error) => {
      this.failure = e;
      this.onFailure?.(e);
    });
  }

  static async connect(address: string, family: 4 | 6, port: number): Promise<StunClient> {
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new StunClient(socket);
  }

  /** Sends `request` and retransmits it until its answer comes or `timeoutMs` has passed. */
  ask(request: StunMessage, options: Parameters<typeof encodeStun>[1], timeoutMs: number): Promise<Answer | null> {
    const bytes = encodeStun(request, options);
    const id = Buffer.from(request.transactionId).toString('hex');
    return new Promise<Answer | null>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const finish = () => {
        timers.forEach(clearTimeout);
        this.waiting.delete(id);
        this.onFailure = null;
      };
      this.waiting.set(id, (answer) => {
        finish();
        resolve(answer);
      });
      this.onFailure = (e) => {
        finish();
        reject(e);
      };
      if (this.failure) return this.onFailure(this.failure);
      for (let at = 0, rto = FIRST_RTO_MS; at < timeoutMs; at += rto, rto *= 2) {
        timers.push(setTimeout(() => this.socket.send(bytes), at));
      }
      timers.push(
        setTimeout(() => {
          finish();
          resolve(null);
        }, timeoutMs),
      );
    });
  }

  close(): void {
    this.socket.close();
  }
}
