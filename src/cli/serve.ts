/**
 * `medchain serve [--host 127.0.0.1] [--port 5173] [--root build]
 * [--tls-cert FILE --tls-key FILE]` (SPEC §6, §8, issue 12): serves the
 * built app with its security headers, over HTTPS when given a certificate,
 * until SIGINT or SIGTERM. The Content-Security-Policy header allows the
 * relays of the deployment configuration (scripts/deploy-config.mjs); the
 * command refuses a build whose <meta> policy was made for other relays,
 * since the browser enforces both and the page would block what the header
 * allows. The folder is read when the command starts (scripts/serve.mjs):
 * after a new build, restart it. Prints `medchain app: URL` once listening.
 */
import { readFile } from 'node:fs/promises';
import { buildMismatch } from '../../scripts/built-csp.mjs';
import { connectSources, isLoopbackHost, loadDeploymentConfig } from '../../scripts/deploy-config.mjs';
import { UNSERVABLE_FOLDER, startStaticServer } from '../../scripts/serve.mjs';
import { integer, parse } from './args';
import { type CliIO, EXIT_OK, UsageError, signalled } from './io';

/** Reads a PEM file named by an option; unreadable is a usage error, not a crash. */
async function readPem(file: string, option: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new UsageError(`cannot read --${option} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The certificate and key, both or neither: half a TLS setup is a mistake worth stopping for. */
async function tlsOptions(values: Record<string, unknown>): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  const cert = typeof values['tls-cert'] === 'string' ? values['tls-cert'] : undefined;
  const key = typeof values['tls-key'] === 'string' ? values['tls-key'] : undefined;
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new UsageError('--tls-cert and --tls-key go together: give both or neither');
  return { cert: await readPem(cert, 'tls-cert'), key: await readPem(key, 'tls-key') };
}

/** Serves the app until `stop` settles (by default: a signal). */
export async function serveCommand(argv: string[], io: CliIO, stop: () => Promise<void> = signalled): Promise<number> {
  const { values } = parse(argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    root: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  });
  const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
  const port = typeof values.port === 'string' ? integer(values.port, 'port', 0, 65535) : 5173;
  const root = typeof values.root === 'string' ? values.root : 'build';
  const tls = await tlsOptions(values);

  let config;
  try {
    config = loadDeploymentConfig();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  for (const warning of config.warnings) io.err(`warning: ${warning}`);
  const sources = connectSources(config);

  const mismatch = await buildMismatch(root, sources);
  if (mismatch) throw new UsageError(mismatch.message);

  if (!tls && !isLoopbackHost(host)) {
    io.err(
      `warning: serving on ${host} without TLS: browsers give pages on plain HTTP (other than on this computer) no WebCrypto and no service worker, so the app will not work there; use --tls-cert and --tls-key, or a TLS-terminating proxy in front`,
    );
  }

  const stopping = stop();
  let started;
  try {
    started = await startStaticServer({ root, host, port, connectSources: sources, ...(tls ? { tls } : {}) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === UNSERVABLE_FOLDER) throw new UsageError((e as Error).message);
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new UsageError(`cannot listen on ${host}:${port}: ${code}`);
    }
    // Node's TLS layer rejects a malformed certificate or key, or a key that is not the certificate's.
    if (tls) throw new UsageError(`--tls-cert/--tls-key are not a usable certificate and key: ${(e as Error).message}`);
    throw e;
  }
  const { server, url } = started;
  io.out(`medchain app: ${url}`);
  await stopping;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return EXIT_OK;
}
