// The deployment configuration (issue 12, SPEC §6): which relays introduce
// peers, which STUN servers help them find their public addresses, and which
// TURN server forwards their traffic when NAT forbids a direct link.
//
// One place decides it for everyone: svelte.config.js writes the relays into
// the built page's Content-Security-Policy, vite.config.ts hands the public
// part to the app, scripts/serve.mjs and `medchain serve` send the same
// policy as a header, and the relay reads the TURN settings. It is plain
// JavaScript (type-checked through JSDoc) because svelte.config.js and the
// scripts import it without a compiler.
//
// Sources, later ones winning:
//   1. the zero configuration: one loopback relay, as `npm start` runs it;
//   2. medchain.config.json at the project root, when present;
//   3. environment variables MEDCHAIN_RELAYS, MEDCHAIN_STUN,
//      MEDCHAIN_TURN_URLS, MEDCHAIN_TURN_SECRET_FILE, MEDCHAIN_TURN_TTL.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where medchain.config.json lives. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The configuration file's name, looked for at the root. */
export const CONFIG_FILE = 'medchain.config.json';

/** The relay `npm start` runs (scripts/start.mjs), used when none is configured. */
export const DEFAULT_RELAY = 'ws://127.0.0.1:4444';

/**
 * How long TURN credentials live by default, in seconds: one day, the value
 * the TURN REST API draft (coturn's `use-auth-secret`) recommends.
 */
export const DEFAULT_TURN_TTL = 86_400;

/** Bounds on the TURN credential lifetime: short-lived, but long enough to set up a call. */
export const MIN_TURN_TTL = 60;
export const MAX_TURN_TTL = 86_400;

/**
 * CSP sources for "any relay on this computer": the test suites and
 * `npm start --relay-port` start relays on ports chosen at run time.
 */
export const LOOPBACK_RELAY_SOURCES = Object.freeze(['ws://127.0.0.1:*', 'ws://localhost:*']);

/** Host names the loopback sources cover (CSP matches hosts literally). */
const LOOPBACK_SOURCE_HOSTS = Object.freeze(['127.0.0.1', 'localhost']);

/** Keys medchain.config.json may have; anything else is a typo and an error. */
const FILE_KEYS = Object.freeze(['relays', 'stun', 'turn', 'loopbackRelays']);
const TURN_KEYS = Object.freeze(['urls', 'secretFile', 'ttl']);

/** A generous bound on one URL, so a bad value cannot bloat the page's policy. */
const MAX_URL_CHARS = 2048;

/**
 * @typedef {object} TurnConfig
 * @property {string[]} urls `turn:`/`turns:` URLs of the TURN server (coturn)
 * @property {string | null} secretFile absolute path of the file holding coturn's shared secret, read by the relay only
 * @property {number} ttl lifetime of the credentials a relay hands out, in seconds
 */

/**
 * @typedef {object} DeploymentConfig
 * @property {string[]} relays relay URLs (`ws:`/`wss:`); any one introduces peers
 * @property {string[]} stun `stun:`/`stuns:` URLs
 * @property {TurnConfig | null} turn the TURN server, or null for none
 * @property {boolean} loopbackRelays whether any `ws://127.0.0.1:*` / `ws://localhost:*` relay is allowed too
 * @property {string[]} warnings problems that do not stop a deployment but deserve a look
 * @property {string | null} file the configuration file that was read, if any
 */

/**
 * @typedef {object} PublicDeployment
 * @property {string[]} relays
 * @property {string[]} stun
 * @property {boolean} loopbackRelays
 */

/**
 * @param {string} where the file or environment variable the value came from
 * @param {string} field the field within it ('' for an environment variable)
 * @param {unknown} value
 * @param {string} problem
 * @returns {Error}
 */
function invalid(where, field, value, problem) {
  const shown = JSON.stringify(value) ?? String(value);
  return new Error(`${where}: ${field ? `${field} ` : ''}${shown} ${problem}.`);
}

/**
 * Is this URL host this computer? (127.0.0.0/8, ::1 or localhost.)
 * @param {string} hostname as URL.hostname gives it (IPv6 in brackets)
 */
export function isLoopbackHost(hostname) {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Check one relay URL: a `ws:` or `wss:` URL without credentials, query or
 * fragment (a relay is named by where it is, nothing more).
 * @param {unknown} value
 * @param {string} where
 * @param {string} field
 * @returns {string} the URL as given
 */
function checkRelay(value, where, field) {
  if (typeof value !== 'string') throw invalid(where, field, value, 'must be a relay URL string');
  if (value.length > MAX_URL_CHARS) throw invalid(where, field, value.slice(0, 40) + '…', `is longer than ${MAX_URL_CHARS} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\s\u0000-\u001f\u007f]/.test(value)) throw invalid(where, field, value, 'must not contain spaces or control characters');
  /** @type {URL} */
  let url;
  try {
    url = new URL(value);
  } catch {
    throw invalid(where, field, value, 'is not a URL (expected e.g. wss://relay.example)');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw invalid(where, field, value, 'is not a ws:// or wss:// URL');
  if (url.hostname === '') throw invalid(where, field, value, 'has no host');
  if (url.username !== '' || url.password !== '') throw invalid(where, field, value, 'must not carry a user name or password');
  if (value.includes('?')) throw invalid(where, field, value, 'must not have a query (?…)');
  if (value.includes('#')) throw invalid(where, field, value, 'must not have a fragment (#…)');
  return value;
}

/** host, IPv4 or [IPv6], then an optional port: the authority of a STUN/TURN URI (RFC 7064, RFC 7065). */
const ICE_HOST_PORT = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?`;
const STUN_URI = new RegExp(`^stuns?:${ICE_HOST_PORT}$`);
const TURN_URI = new RegExp(`^turns?:${ICE_HOST_PORT}(?:\\?transport=(?:udp|tcp))?$`);

/**
 * Check one STUN or TURN URL against its RFC's grammar; these go to
 * browsers as RTCIceServer URLs, so a malformed one must stop the build.
 * @param {unknown} value
 * @param {'stun' | 'turn'} kind
 * @param {string} where
 * @param {string} field
 * @returns {string}
 */
function checkIceUrl(value, kind, where, field) {
  const example = kind === 'stun' ? 'stun:stun.example:3478' : 'turns:turn.example:5349';
  if (typeof value !== 'string') throw invalid(where, field, value, `must be a ${kind}: URL string`);
  const match = (kind === 'stun' ? STUN_URI : TURN_URI).exec(value);
  if (!match || value.length > MAX_URL_CHARS) {
    throw invalid(where, field, value, `is not a ${kind}:/${kind}s: URL (expected e.g. ${example})`);
  }
  const port = match[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    throw invalid(where, field, value, 'has a port outside 1–65535');
  }
  return value;
}

/**
 * Check a list field of the file.
 * @template T
 * @param {unknown} value
 * @param {string} where
 * @param {string} field
 * @param {(item: unknown, where: string, field: string) => T} each
 * @returns {T[]}
 */
function checkList(value, where, field, each) {
  if (!Array.isArray(value)) throw invalid(where, field, value, 'must be a list (JSON array)');
  return value.map((item, i) => each(item, where, `${field}[${i}]`));
}

/**
 * Check the TURN lifetime.
 * @param {unknown} value
 * @param {string} where
 * @param {string} field
 * @returns {number}
 */
function checkTtl(value, where, field) {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < MIN_TURN_TTL || value > MAX_TURN_TTL) {
    throw invalid(where, field, value, `must be a whole number of seconds from ${MIN_TURN_TTL} to ${MAX_TURN_TTL}`);
  }
  return value;
}

/**
 * Check the secret file's path (the file itself is the relay's to read).
 * @param {unknown} value
 * @param {string} where
 * @param {string} field
 * @param {string} base the directory a relative path is taken from
 * @returns {string | null}
 */
function checkSecretFile(value, where, field, base) {
  if (value === null) return null;
  if (typeof value !== 'string' || value.trim() === '' || value.includes('\0')) {
    throw invalid(where, field, value, 'must be the path of the file holding the TURN shared secret, or null');
  }
  return path.resolve(base, value);
}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * @param {Record<string, unknown>} o
 * @param {readonly string[]} allowed
 * @param {string} where
 * @param {string} prefix e.g. 'turn.'
 */
function rejectUnknownKeys(o, allowed, where, prefix) {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new Error(`${where}: unknown key ${JSON.stringify(prefix + key)} (allowed: ${allowed.map((k) => prefix + k).join(', ')}).`);
    }
  }
}

/**
 * The file's settings; absent keys stay undefined.
 * @param {string} file
 * @returns {{ relays?: string[], stun?: string[], turn?: TurnConfig | null, loopbackRelays?: boolean } | null} null when there is no file
 */
function readConfigFile(file) {
  /** @type {string} */
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code === 'ENOENT') return null;
    throw new Error(`${file}: cannot be read (${code ?? String(error)}).`, { cause: error });
  }
  /** @type {unknown} */
  let json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!isObject(json)) throw new Error(`${file}: the top level must be a JSON object like {"relays": ["wss://relay.example"]}.`);
  rejectUnknownKeys(json, FILE_KEYS, file, '');

  /** @type {{ relays?: string[], stun?: string[], turn?: TurnConfig | null, loopbackRelays?: boolean }} */
  const out = {};
  if (json.relays !== undefined) {
    out.relays = checkList(json.relays, file, 'relays', checkRelay);
    if (out.relays.length === 0) throw invalid(file, 'relays', json.relays, 'must list at least one relay URL');
  }
  if (json.stun !== undefined) out.stun = checkList(json.stun, file, 'stun', (v, w, f) => checkIceUrl(v, 'stun', w, f));
  if (json.loopbackRelays !== undefined) {
    if (typeof json.loopbackRelays !== 'boolean') throw invalid(file, 'loopbackRelays', json.loopbackRelays, 'must be true or false');
    out.loopbackRelays = json.loopbackRelays;
  }
  if (json.turn === null) out.turn = null;
  else if (json.turn !== undefined) {
    const turn = json.turn;
    if (!isObject(turn)) throw invalid(file, 'turn', turn, 'must be an object like {"urls": ["turns:turn.example:5349"], "secretFile": "…"} or null');
    rejectUnknownKeys(turn, TURN_KEYS, file, 'turn.');
    if (turn.urls === undefined) throw new Error(`${file}: turn.urls is required (a list of turn: or turns: URLs).`);
    const urls = checkList(turn.urls, file, 'turn.urls', (v, w, f) => checkIceUrl(v, 'turn', w, f));
    if (urls.length === 0) throw invalid(file, 'turn.urls', turn.urls, 'must list at least one turn: or turns: URL');
    out.turn = {
      urls,
      secretFile: turn.secretFile === undefined ? null : checkSecretFile(turn.secretFile, file, 'turn.secretFile', path.dirname(file)),
      ttl: turn.ttl === undefined ? DEFAULT_TURN_TTL : checkTtl(turn.ttl, file, 'turn.ttl'),
    };
  }
  return out;
}

/**
 * A comma-separated environment variable as a list, or undefined when it is
 * unset or blank (so `MEDCHAIN_RELAYS= npm run build` means "not set").
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 * @returns {string[] | undefined}
 */
function envList(env, name) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 * @returns {string | undefined}
 */
function envText(env, name) {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

/**
 * Load the deployment configuration: medchain.config.json under `root` when
 * present, then the environment's overrides, each value checked. With
 * neither, the result is the zero configuration (one loopback relay, any
 * loopback relay allowed, no STUN, no TURN), so `npm start` and the tests
 * need nothing set up.
 *
 * @param {{ root?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {DeploymentConfig}
 * @throws {Error} with one sentence naming the field and the bad value
 */
export function loadDeploymentConfig({ root = projectRoot, env = process.env } = {}) {
  const filePath = path.join(root, CONFIG_FILE);
  const file = readConfigFile(filePath);

  const envRelays = envList(env, 'MEDCHAIN_RELAYS')?.map((v) => checkRelay(v, 'MEDCHAIN_RELAYS', ''));
  const envStun = envList(env, 'MEDCHAIN_STUN')?.map((v) => checkIceUrl(v, 'stun', 'MEDCHAIN_STUN', ''));
  const envTurnUrls = envList(env, 'MEDCHAIN_TURN_URLS')?.map((v) => checkIceUrl(v, 'turn', 'MEDCHAIN_TURN_URLS', ''));
  const secretText = envText(env, 'MEDCHAIN_TURN_SECRET_FILE');
  const envSecret = secretText === undefined ? undefined : checkSecretFile(secretText, 'MEDCHAIN_TURN_SECRET_FILE', '', process.cwd());
  const ttlText = envText(env, 'MEDCHAIN_TURN_TTL');
  /** @type {number | undefined} */
  let envTtl;
  if (ttlText !== undefined) {
    if (!/^\d+$/.test(ttlText)) throw invalid('MEDCHAIN_TURN_TTL', '', ttlText, `must be a whole number of seconds from ${MIN_TURN_TTL} to ${MAX_TURN_TTL}`);
    envTtl = checkTtl(Number(ttlText), 'MEDCHAIN_TURN_TTL', '');
  }

  const configuredRelays = envRelays ?? file?.relays;
  const relays = configuredRelays ?? [DEFAULT_RELAY];
  const loopbackRelays = file?.loopbackRelays ?? configuredRelays === undefined;
  const stun = envStun ?? file?.stun ?? [];

  /** @type {TurnConfig | null} */
  let turn = file?.turn ?? null;
  if (envTurnUrls !== undefined) turn = { urls: envTurnUrls, secretFile: turn?.secretFile ?? null, ttl: turn?.ttl ?? DEFAULT_TURN_TTL };
  if (envSecret !== undefined || envTtl !== undefined) {
    if (turn === null) {
      const name = envSecret !== undefined ? 'MEDCHAIN_TURN_SECRET_FILE' : 'MEDCHAIN_TURN_TTL';
      throw new Error(`${name} is set but no TURN server is configured (set MEDCHAIN_TURN_URLS or turn.urls in ${CONFIG_FILE}).`);
    }
    turn = { urls: turn.urls, secretFile: envSecret ?? turn.secretFile, ttl: envTtl ?? turn.ttl };
  }

  /** @type {string[]} */
  const warnings = [];
  for (const relay of relays) {
    const url = new URL(relay);
    if (url.protocol === 'ws:' && !isLoopbackHost(url.hostname)) {
      warnings.push(`relay ${relay} is unencrypted (ws://) and not on this computer; production deployments should use wss://`);
    }
  }
  if (turn !== null && turn.secretFile === null) {
    warnings.push('TURN URLs are configured without a secretFile (MEDCHAIN_TURN_SECRET_FILE), so relays cannot hand out TURN credentials');
  }

  return { relays, stun, turn, loopbackRelays, warnings, file: file === null ? null : filePath };
}

/**
 * The origin of a relay URL as a CSP source (`wss://relay.example:8443`;
 * the scheme's default port omitted, as URL.origin does).
 * @param {string} url
 * @returns {string}
 */
export function relayOrigin(url) {
  return new URL(url).origin;
}

/**
 * Is this relay already allowed by the loopback wildcards? (Listing it again
 * would only lengthen the policy, and would change today's zero-configuration
 * policy.)
 * @param {string} origin
 */
function coveredByLoopbackSources(origin) {
  const url = new URL(origin);
  return url.protocol === 'ws:' && LOOPBACK_SOURCE_HOSTS.includes(url.hostname);
}

/**
 * The page's `connect-src` sources: itself, each configured relay's origin
 * once, and the loopback wildcards when loopback relays are allowed. The
 * build's <meta> policy and every server's header are made from this, so
 * the page can reach exactly the relays the deployment configures.
 * @param {Pick<DeploymentConfig, 'relays' | 'loopbackRelays'>} config
 * @returns {string[]}
 */
export function connectSources(config) {
  /** @type {string[]} */
  const origins = [];
  for (const relay of config.relays) {
    const origin = relayOrigin(relay);
    if (config.loopbackRelays && coveredByLoopbackSources(origin)) continue;
    if (!origins.includes(origin)) origins.push(origin);
  }
  return ["'self'", ...origins, ...(config.loopbackRelays ? LOOPBACK_RELAY_SOURCES : [])];
}

/**
 * What the app may know about its deployment (compiled into the bundle):
 * never the TURN secret file's path, nor anything else only servers need.
 * @param {DeploymentConfig} config
 * @returns {PublicDeployment}
 */
export function publicDeployment(config) {
  return { relays: [...config.relays], stun: [...config.stun], loopbackRelays: config.loopbackRelays };
}
