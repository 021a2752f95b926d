/**
 * Fetching the app's page the way a browser first does: one GET over HTTPS
 * (TLS checked against the doctor's {@link Trust}), keeping the headers, a
 * bounded body (index.html, for its `<meta>` policy) and the certificate the
 * server showed. Host names are resolved by the system as for any client.
 */
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { TimeoutError } from './net-errors';
import type { Trust } from './trust';

/** index.html is a few KiB; more than this is not read (the <meta> tag is in the head). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface Page {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The server's certificate (https only). */
  readonly certificate: PeerCertificate | null;
}

/** GETs `url` within `timeoutMs` in all; rejects with the system's error (or a {@link TimeoutError}). */
export function fetchPage(url: URL, trust: Trust, timeoutMs: number): Promise<Page> {
  return new Promise<Page>((resolve, reject) => {
    const https = url.protocol === 'https:';
    const options = { headers: { 'user-agent': 'medchain-doctor', accept: 'text/html' }, ...(https && trust.ca ? { ca: trust.ca } : {}) };
    const req = (https ? httpsRequest : httpRequest)(url, options, (res) => {
      const socket = res.socket as TLSSocket;
      const certificate = https && typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : null;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_BODY_BYTES) return;
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), certificate });
      });
      res.on('error', fail);
    });
    const timer = setTimeout(() => req.destroy(new TimeoutError(timeoutMs)), timeoutMs);
    function fail(e: Error) {
      clearTimeout(timer);
      reject(e);
    }
    req.on('error', fail);
    req.end();
  });
}
