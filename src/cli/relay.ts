/**
 * `medchain relay [--host 127.0.0.1] [--port 4444] [--tls-cert FILE --tls-key FILE] [--trust-proxy] [--per-address 16]
 * [--turn-url URL … --turn-secret-file FILE [--turn-ttl 86400]]` (SPEC §6, §8):
 * runs the signalling relay until SIGINT or SIGTERM, then closes it
 * gracefully. With a certificate and key (PEM) it serves `wss://`, which a
 * page served over HTTPS needs. With TURN URLs (repeatable or
 * comma-separated) and coturn's shared secret (first line of the file; a
 * file, never an argument, so it stays out of `ps` and shell history) it
 * hands out short-lived TURN credentials. Prints `medchain relay: ws://HOST:PORT`
 * (or `wss://…`) once listening (with `--port 0`, the port the system chose).
 * Log lines go to standard error and carry events, codes and counts only —
 * never the secret. `--trust-proxy` counts clients by the last
 * X-Forwarded-For entry when the TCP peer is loopback (a reverse proxy such
 * as Caddy on this machine); without it, clients behind such a proxy share
 * one address's slots. Without TURN flags it takes the deployment's TURN setup
 * (scripts/deploy-config.mjs), if any.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startRelay } from '../relay/server';
import { type RelayTls, tlsProblem } from '../relay/tls';
import { TURN_TTL_DEFAULT, TURN_TTL_MAX, TURN_TTL_MIN, type TurnConfig, turnConfigProblem, turnSecretFromText, turnUrlProblem } from '../relay/turn';
import { loadDeploymentConfig } from '../../scripts/deploy-config.mjs';
import { integer } from './args';
import { type CliIO, EXIT_OK, UsageError, signalled } from './io';

/** The options, strictly (`--turn-url` may repeat, so args.ts's single-valued `parse` does not fit). */
function options(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'turn-url': { type: 'string', multiple: true },
        'turn-secret-file': { type: 'string' },
        'turn-ttl': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        'per-address': { type: 'string' },
      },
    }).values;
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!);
  }
}

/** A file's bytes, or a usage error naming the option and the system's reason. */
function readOption(option: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read --${option} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The certificate and key, both or neither, checked as a pair. */
function tlsFrom(certFile: string | undefined, keyFile: string | undefined): RelayTls | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) throw new UsageError('--tls-cert and --tls-key go together: give both or neither');
  const tls = { cert: readOption('tls-cert', certFile), key: readOption('tls-key', keyFile) };
  const problem = tlsProblem(tls);
  if (problem) throw new UsageError(problem.part === 'cert' ? `--tls-cert ${certFile} ${problem.message}` : `--tls-key ${keyFile} ${problem.message}`);
  return tls;
}

/** The TURN configuration: URLs and secret file both or neither; the secret is never echoed. */
function turnFrom(urlArgs: string[] | undefined, secretFile: string | undefined, ttlArg: string | undefined): TurnConfig | undefined {
  if (urlArgs === undefined && secretFile === undefined) {
    if (ttlArg !== undefined) throw new UsageError('--turn-ttl needs --turn-url and --turn-secret-file');
    return undefined;
  }
  if (urlArgs === undefined || secretFile === undefined) throw new UsageError('--turn-url and --turn-secret-file go together: give both or neither');
  const urls = urlArgs.flatMap((a) => a.split(',')).map((u) => u.trim());
  for (const url of urls) {
    const problem = turnUrlProblem(url);
    if (problem) throw new UsageError(`--turn-url ${problem}`);
  }
  const secret = turnSecretFromText(readOption('turn-secret-file', secretFile).toString('utf8'));
  if (secret === null) throw new UsageError(`--turn-secret-file ${secretFile} is empty (the secret is its first line)`);
  const ttl = ttlArg === undefined ? TURN_TTL_DEFAULT : integer(ttlArg, 'turn-ttl', TURN_TTL_MIN, TURN_TTL_MAX);
  const config: TurnConfig = { urls, secret, ttl };
  const problem = turnConfigProblem(config);
  if (problem) throw new UsageError(problem);
  return config;
}

/**
 * Without TURN flags, the deployment's TURN setup (medchain.config.json's
 * `turn`, or MEDCHAIN_TURN_URLS and MEDCHAIN_TURN_SECRET_FILE), so one
 * configuration serves the build, `medchain serve` and the relay.
 */
function turnFromConfig(): TurnConfig | undefined {
  let config;
  try {
    config = loadDeploymentConfig();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const t = config.turn;
  if (!t || t.urls.length === 0 || !t.secretFile) return undefined;
  return turnFrom([...t.urls], t.secretFile, String(t.ttl));
}

/** Runs the relay until `stop` settles (by default: a signal). */
export async function relayCommand(argv: string[], io: CliIO, stop: () => Promise<void> = signalled): Promise<number> {
  const values = options(argv);
  const host = values.host ?? '127.0.0.1';
  const port = values.port === undefined ? 4444 : integer(values.port, 'port', 0, 65535);
  const tls = tlsFrom(values['tls-cert'], values['tls-key']);
  const flags = values['turn-url'] !== undefined || values['turn-secret-file'] !== undefined || values['turn-ttl'] !== undefined;
  const turn = flags ? turnFrom(values['turn-url'], values['turn-secret-file'], values['turn-ttl']) : turnFromConfig();
  // A site with more open tabs behind one NAT address than the default allows raises it (limits.ts).
  const perAddress = values['per-address'] === undefined ? undefined : integer(values['per-address'], 'per-address', 1, 10_000);
  const stopping = stop();
  let relay;
  try {
    relay = await startRelay({
      host,
      port,
      ...(tls ? { tls } : {}),
      ...(turn ? { turn } : {}),
      ...(values['trust-proxy'] ? { trustProxy: true } : {}),
      ...(perAddress !== undefined ? { limits: { maxClientsPerAddress: perAddress } } : {}),
      log: (event, fields) =>
        io.err(
          `relay ${event}${Object.entries(fields)
            .map(([k, v]) => ` ${k}=${v}`)
            .join('')}`,
        ),
    });
  } catch (e) {
    throw new UsageError(`cannot listen on ${host}:${port}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.out(`medchain relay: ${relay.url}`);
  if (turn) io.err(`relay turn urls=${turn.urls.length} ttl=${turn.ttl}`);
  await stopping;
  await relay.close();
  return EXIT_OK;
}
