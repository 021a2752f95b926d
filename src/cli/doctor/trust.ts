/**
 * Which certificate authorities the doctor trusts: Node's built-in store,
 * the one browsers' stores agree with for public CAs such as Let's Encrypt,
 * plus an operator's own CA given with `--ca FILE` (a test deployment, or a
 * hospital's internal CA that its managed browsers trust). Node's `ca`
 * option replaces the store rather than adding to it, hence the union.
 */
import { rootCertificates } from 'node:tls';

/** The `ca` option for TLS connections: undefined means Node's store alone. */
export interface Trust {
  readonly ca: string[] | undefined;
}

/** Node's store, plus the PEM certificates in `extraPem` when given. */
export function trustWith(extraPem: string | undefined): Trust {
  return { ca: extraPem === undefined ? undefined : [...rootCertificates, extraPem] };
}
