/**
 * The `medchain` command for operators and auditors (SPEC §8): the same core
 * code as the browser, on Node. Each subcommand lives in its own file.
 */
import { benchCommand } from './bench';
import { demoChainCommand } from './demo-chain';
import { doctorCommand } from './doctor/command';
import { type CliIO, EXIT_USAGE, UsageError, processIO } from './io';
import { identityCommand } from './identity';
import { inspectCommand } from './inspect';
import { relayCommand } from './relay';
import { retargetCommand } from './retarget';
import { serveCommand } from './serve';
import { simulateCommand } from './simulate';
import { verifyCommand } from './verify';

type Command = (argv: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  verify: { run: verifyCommand, help: 'verify FILE [--genesis HASH]      check an exported chain file (of that network)' },
  inspect: {
    run: inspectCommand,
    help: 'inspect FILE [--json]             what a chain file holds, without health data: blocks, transactions, hospitals, staff, consent per patient',
  },
  retarget: {
    run: retargetCommand,
    help: 'retarget --bits B --first-time T0 --last-time T1 [--params bitcoin|default]',
  },
  'demo-chain': { run: demoChainCommand, help: 'demo-chain --blocks N --out FILE [--seed S]' },
  bench: { run: benchCommand, help: 'bench [--only NAME] [--out FILE]     figures against their goals (SPEC §9), written to bench/results.json' },
  simulate: { run: simulateCommand, help: 'simulate --nodes N --validators V --seeds K [--start S]   agreement under faults' },
  relay: {
    run: relayCommand,
    help: 'relay [--host 127.0.0.1] [--port 4444] [--tls-cert FILE --tls-key FILE] [--trust-proxy] [--turn-url URL… --turn-secret-file FILE [--turn-ttl 86400]]   WebSocket signalling relay (0 = any free port; wss:// with a certificate; hands out TURN credentials)',
  },
  serve: {
    run: serveCommand,
    help: 'serve [--host 127.0.0.1] [--port 5173] [--root build] [--tls-cert FILE --tls-key FILE]   the built app with its security headers (https:// with a certificate)',
  },
  doctor: {
    run: doctorCommand,
    help: 'doctor URL [--ca FILE] [--timeout-ms 5000]   check a deployment from outside: the app over HTTPS and its headers, each relay, TURN (OK/WARN/FAIL per line; exit 1 on a FAIL)',
  },
  identity: {
    run: identityCommand,
    help: 'identity --aadhaar NUMBER|- [--network ID]   (passphrase on standard input; with -, the number first)',
  },
};

function usage(): string {
  return ['usage: medchain COMMAND [options]', ...Object.values(COMMANDS).map((c) => `  medchain ${c.help}`)].join('\n');
}

/** Runs one command line; returns the exit code. Never throws for bad input. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`medchain: unknown command "${name}"\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`medchain ${name}: ${e.message}`);
      return EXIT_USAGE;
    }
    io.err(`medchain ${name}: internal error: ${(e as Error).message}`);
    return 70;
  }
}
