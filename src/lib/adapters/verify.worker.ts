/**
 * The verifying Web Worker's entry (issue 7): signature checks off the
 * page's thread, through WebCrypto Ed25519 after the shared precheck
 * (verifyWebCrypto). Loaded as a module worker by the page's verify pool.
 */
import { serveVerifier } from './verify-host';
import { verifyWebCrypto } from './webcrypto-ed25519';

const scope = self as unknown as {
  postMessage(m: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', cb: (e: MessageEvent) => void): void;
};

serveVerifier({ post: (m, transfer) => scope.postMessage(m, transfer), listen: (cb) => scope.addEventListener('message', (e) => cb(e.data)) }, (c) =>
  verifyWebCrypto(c.signature, c.message, c.publicKey),
);
