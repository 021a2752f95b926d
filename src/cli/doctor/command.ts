/**
 * `medchain doctor URL [--ca FILE] [--timeout-ms 5000]`: checks a deployment
 * from the outside, the way a browser will use it (SPEC §6, §8): the app
 * over HTTPS and its security headers, every relay its policy allows
 * (WebSocket over TLS, subscribe, ping, forwarding, TURN credentials for a
 * signed request) and a real TURN Allocate with those credentials. Prints one
 * line per check, `OK`, `WARN` or `FAIL` with a plain reason; exit 0 when
 * nothing failed, 1 when something did, 2 on bad usage. Every step is
 * bounded by the timeout; credentials are never printed.
 */
import { readFileSync } from 'node:fs';
import { isLoopbackHost } from '../../../scripts/deploy-config.mjs';
import { integer, parse } from '../args';
import { type CliIO, EXIT_FAIL, EXIT_OK, UsageError } from '../io';
import { checkApp } from './check-app';
import { checkSources } from './check-sources';
import type { DoctorContext } from './context';
import { Report } from './report';
import { trustWith } from './trust';

/** Each step's bound unless --timeout-ms says otherwise. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** The app's address: an http(s) URL without credentials. */
function appUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`"${text}" is not a URL (expected the app's address, e.g. https://app.hospital.example/)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`"${text}" is not an https:// address`);
  if (url.username !== '' || url.password !== '') throw new UsageError('the URL must not carry a user name or password');
  return url;
}

/** The extra CA certificate(s) of --ca, as PEM text. */
function readCa(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --ca ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${file} is not a PEM certificate`);
  return text;
}

/** Runs the checks against the deployment at the URL in `argv`. */
export async function doctorCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, { ca: { type: 'string' }, 'timeout-ms': { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError("give the app's address, e.g. medchain doctor https://app.hospital.example/");
  const url = appUrl(positionals[0]!);
  const timeoutMs = typeof values['timeout-ms'] === 'string' ? integer(values['timeout-ms'], 'timeout-ms', 100, 120_000) : DEFAULT_TIMEOUT_MS;
  const trust = trustWith(typeof values.ca === 'string' ? readCa(values.ca) : undefined);

  const report = new Report(io);
  const ctx: DoctorContext = { trust, timeoutMs, report, now: () => Date.now() };
  const sources = await checkApp(url, ctx);
  if (sources) await checkSources(sources, url, isLoopbackHost(url.hostname), ctx);
  return report.failed() ? EXIT_FAIL : EXIT_OK;
}
