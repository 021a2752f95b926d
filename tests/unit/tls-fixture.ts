/** A throwaway self-signed P-256 certificate for 127.0.0.1 (openssl CLI), for the TLS tests of `medchain serve` and `medchain relay`. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestCert {
  /** The folder holding both files (remove it when done). */
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** `days`: how long it is valid (a test of expiry warnings wants more than the default day). `dir`: where to write it (default a new temporary folder). */
export function selfSignedCert(o: { days?: number; dir?: string } = {}): TestCert {
  const dir = o.dir ?? mkdtempSync(path.join(tmpdir(), 'medchain-test-tls-'));
  const certFile = path.join(dir, 'c.pem');
  const keyFile = path.join(dir, 'k.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      String(o.days ?? 1),
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { dir, certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}
