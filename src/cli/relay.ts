/**
 * `medchain relay [--host 127.0.0.1] [--port 4444]` (SPEC §6, §8): runs the
 * signalling relay until SIGINT or SIGTERM, then closes it gracefully.
 * Prints `medchain relay: ws://HOST:PORT` once listening (with `--port 0`,
 * the port the system chose). Log lines go to standard error and carry
 * events, codes and counts only.
 */
import { startRelay } from '../relay/server';
import { integer, parse } from './args';
import { type CliIO, EXIT_OK, UsageError } from './io';

/** Resolves on the first SIGINT or SIGTERM. */
function signalled(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** Runs the relay until `stop` settles (by default: a signal). */
export async function relayCommand(argv: string[], io: CliIO, stop: () => Promise<void> = signalled): Promise<number> {
  const { values } = parse(argv, { host: { type: 'string' }, port: { type: 'string' } });
  const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
  const port = typeof values.port === 'string' ? integer(values.port, 'port', 0, 65535) : 4444;
  const stopping = stop();
  let relay;
  try {
    relay = await startRelay({
      host,
      port,
      log: (event, fields) => io.err(`relay ${event}${Object.entries(fields).map(([k, v]) => ` ${k}=${v}`).join('')}`),
    });
  } catch (e) {
    throw new UsageError(`cannot listen on ${host}:${port}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.out(`medchain relay: ${relay.url}`);
  await stopping;
  await relay.close();
  return EXIT_OK;
}
