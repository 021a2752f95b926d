/**
 * The relay's TLS certificate and key (SPEC §6: "relays are reached over
 * `wss://`"; a page served over HTTPS may not open a plain `ws://` socket to
 * another host). Checked before the relay starts so that a wrong file is a
 * one-line error naming the problem, not OpenSSL's "no start line" from deep
 * inside the server, and so that a key that does not belong to the
 * certificate is caught at start rather than at the first handshake.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

/** A PEM certificate (optionally followed by its chain) and its PEM private key. */
export interface RelayTls {
  readonly cert: Buffer | string;
  readonly key: Buffer | string;
}

const PEM_CERT = '-----BEGIN CERTIFICATE-----';
const PEM_KEY = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;

/** Why `tls` cannot serve `wss://`, or null. Messages name the problem, never key material. */
export function tlsProblem(tls: RelayTls): { readonly part: 'cert' | 'key'; readonly message: string } | null {
  const certText = tls.cert.toString();
  if (!certText.includes(PEM_CERT)) return { part: 'cert', message: 'is not a PEM certificate' };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(tls.cert);
  } catch {
    return { part: 'cert', message: 'is not a valid PEM certificate' };
  }
  if (!PEM_KEY.test(tls.key.toString())) return { part: 'key', message: 'is not a PEM private key' };
  let key: KeyObject;
  try {
    key = createPrivateKey(tls.key);
  } catch {
    return { part: 'key', message: 'is not a valid unencrypted PEM private key' };
  }
  if (!cert.checkPrivateKey(key)) return { part: 'key', message: 'does not match the certificate' };
  return null;
}
