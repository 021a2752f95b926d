/**
 * A certificate authority made for one run with the openssl CLI, a server
 * certificate it signs for the world's names and addresses, and NSS
 * databases (what Chromium on Linux reads, `$HOME/.pki/nssdb`) that trust it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec';

/** Files of a run's test CA and its server certificate (PEM). */
export interface TestTls {
  /** The CA certificate: what clients trust (`ca` of node's tls, `--cacert` of curl, the NSS db's anchor). */
  readonly caCert: string;
  readonly caKey: string;
  /** The server certificate (leaf only) for every name and address in the world. */
  readonly cert: string;
  /** The server certificate followed by the CA certificate. */
  readonly fullchain: string;
  readonly key: string;
  /** The DNS names and IP addresses in the server certificate's subjectAltName. */
  readonly dnsNames: readonly string[];
  readonly ips: readonly string[];
}

/** The nickname of the CA in each NSS database. */
export const NSS_CA_NICKNAME = 'medchain-test-ca';

/**
 * Makes a fresh CA (EC P-256, valid 2 days, named after `runId`) and a
 * server certificate signed by it for `dnsNames` and `ips`, in `dir`.
 */
export async function makeTestTls(dir: string, runId: string, dnsNames: readonly string[], ips: readonly string[]): Promise<TestTls> {
  await mkdir(dir, { recursive: true });
  const p = (f: string): string => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '2',
    '-subj',
    `/O=medchain tests/CN=medchain test CA ${runId}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-addext',
    'subjectKeyIdentifier=hash',
  ]);
  await run('openssl', [
    'req',
    '-new',
    ...ec,
    '-keyout',
    p('server.key'),
    '-out',
    p('server.csr'),
    '-subj',
    `/O=medchain tests/CN=${dnsNames[0] ?? 'medchain.test'}`,
  ]);
  const san = [...dnsNames.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP:${ip}`)].join(',');
  await writeFile(
    p('server.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid,issuer',
      `subjectAltName=${san}`,
      '',
    ].join('\n'),
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-set_serial',
    `0x${Date.now().toString(16)}`,
    '-days',
    '2',
    '-sha256',
    '-extfile',
    p('server.ext'),
    '-out',
    p('server.pem'),
  ]);
  await writeFile(p('fullchain.pem'), (await readFile(p('server.pem'), 'utf8')) + (await readFile(p('ca.pem'), 'utf8')));
  return { caCert: p('ca.pem'), caKey: p('ca.key'), cert: p('server.pem'), fullchain: p('fullchain.pem'), key: p('server.key'), dnsNames, ips };
}

/**
 * Creates `home/.pki/nssdb` (empty password) trusting `caCert` to issue
 * server certificates (`-t "C,,"`), as Chromium run with HOME=home reads it.
 * Returns the database folder.
 */
export async function makeNssDb(home: string, caCert: string): Promise<string> {
  const db = join(home, '.pki', 'nssdb');
  await mkdir(db, { recursive: true });
  await run('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  await run('certutil', ['-A', '-d', `sql:${db}`, '-t', 'C,,', '-n', NSS_CA_NICKNAME, '-i', caCert]);
  return db;
}
