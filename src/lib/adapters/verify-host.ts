/**
 * The verifying worker's side (issue 7), free of worker globals so Node
 * tests run it over a MessageChannel: each request is a packed batch of
 * signature checks (verify-batch.ts), answered with one byte per check in
 * order, the buffer transferred back. A request that does not parse is
 * answered with `results: null` (the page then checks that part itself).
 */
import type { SignatureCheck } from '../core/net/block-signatures';
import { asVerifyRequest, type VerifyAnswer, unpackChecks } from './verify-batch';

export interface VerifyHostPort {
  post(message: VerifyAnswer, transfer: Transferable[]): void;
  listen(cb: (data: unknown) => void): void;
}

/** Serves requests with `verify` (WebCrypto after the shared precheck, in the worker's own thread). */
export function serveVerifier(port: VerifyHostPort, verify: (c: SignatureCheck) => Promise<boolean>): void {
  port.listen((data) => {
    const req = asVerifyRequest(data);
    if (!req) return;
    const checks = unpackChecks(req.checks);
    if (!checks) return port.post({ id: req.id, results: null }, []);
    void Promise.all(checks.map(verify)).then((ok) => {
      const results = Uint8Array.from(ok, (b) => (b ? 1 : 0));
      port.post({ id: req.id, results }, [results.buffer]);
    });
  });
}
