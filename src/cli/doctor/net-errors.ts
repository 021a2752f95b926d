/**
 * Network and TLS failures in words an operator can act on. Node reports
 * `ECONNREFUSED` or `UNABLE_TO_VERIFY_LEAF_SIGNATURE`; the doctor says what
 * that means for a deployment (nothing listening, a missing intermediate
 * certificate, …) and keeps the code for searching.
 */

/** Raised by the doctor's own waits, so a timeout reads the same everywhere. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly ms: number) {
    super(`no answer within ${seconds(ms)}`);
  }
}

/** `5 s`, `0.5 s`: how timeouts are shown. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

const TLS_REASONS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "the certificate is self-signed, so browsers refuse it (use a CA such as Let's Encrypt; for a test CA, pass --ca FILE)",
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a CA that is not trusted (for a test CA, pass --ca FILE)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'the certificate cannot be traced to a trusted CA: the server may not send its intermediate certificate (serve the full chain)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the certificate's issuer is not trusted, or the server does not send the intermediate certificate (serve the full chain)",
  UNABLE_TO_GET_ISSUER_CERT: "the certificate's issuer is not trusted, or the server does not send the intermediate certificate (serve the full chain)",
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: "the certificate is not valid yet (check this machine's clock and the server's)",
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not for this host name',
  CERT_REVOKED: 'the certificate has been revoked',
};

const NET_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused: nothing listens on that port',
  ENOTFOUND: 'the host name does not resolve (DNS)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  EPROTO: 'the TLS handshake failed (is it plain HTTP on that port?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the TLS handshake failed: the port does not speak TLS (plain HTTP?)',
};

/** One plain sentence for a failed connection or request, with the system's code. */
export function describeFailure(e: unknown): string {
  if (e instanceof TimeoutError) return e.message;
  const error = e instanceof Error ? e : new Error(String(e));
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined) {
    const reason = TLS_REASONS[code] ?? NET_REASONS[code];
    if (reason) return `${reason} (${code})`;
    return `${error.message} (${code})`;
  }
  if (/wrong version number/i.test(error.message)) return `${NET_REASONS.ERR_SSL_WRONG_VERSION_NUMBER}`;
  return error.message;
}

/**
 * Rejects with a {@link TimeoutError} after `ms` unless `work` settles first;
 * `onTimeout` lets the caller tear down what it opened.
 */
export function within<T>(ms: number, work: Promise<T>, onTimeout: () => void = () => {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new TimeoutError(ms));
    }, ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
