#!/usr/bin/env node
// `npm start`: build the app if the build is missing or stale, then serve it
// on 127.0.0.1 with scripts/serve.mjs.
//
// Also starts the signalling relay (src/relay) on the same host.
//
// With no medchain.config.json and no MEDCHAIN_* variables this is the
// zero configuration (scripts/deploy-config.mjs): the page may reach any
// relay on this computer. With a configuration, the page's policy and the
// server's header allow its relays instead, and a build made for other
// relays is rebuilt.
//
// Usage: node scripts/start.mjs [--port 5173] [--relay-port 4444]
//        (or PORT / RELAY_PORT; 0 = any free port)

import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildReason, buildDir, viteBuild } from './build-app.mjs';
import { buildMismatch } from './built-csp.mjs';
import { connectSources, loadDeploymentConfig } from './deploy-config.mjs';
import { readOptions } from './script-args.mjs';
import { parsePort, startStaticServer } from './serve.mjs';

const HOST = '127.0.0.1';

/** @type {import('node:child_process').ChildProcess | null} */
let buildChild = null;

/**
 * The signalling relay (SPEC §6), started beside the static server on the
 * same host. It is TypeScript (src/relay), loaded through tsx as
 * bin/medchain.mjs does; its log lines (events, codes and counts only) go to
 * standard error.
 * @param {{ host: string, port: number }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
async function startRelay({ host, port }) {
  const { tsImport } = await import('tsx/esm/api');
  const relayServer = await tsImport('../src/relay/server.ts', import.meta.url);
  try {
    return await relayServer.startRelay({
      host,
      port,
      /** @param {string} event @param {Record<string, string | number>} fields */
      log: (event, fields) => {
        if (event === 'listening' || event === 'closed') return;
        console.error(
          `relay ${event}${Object.entries(fields)
            .map(([k, v]) => ` ${k}=${v}`)
            .join('')}`,
        );
      },
    });
  } catch (error) {
    if (error && /** @type {NodeJS.ErrnoException} */ (error).code === 'EADDRINUSE') {
      throw new Error(`relay port ${port} is already in use; try --relay-port 0 for any free port`, { cause: error });
    }
    throw error;
  }
}

async function main() {
  const args = readOptions(
    process.argv.slice(2),
    { port: { type: 'string' }, 'relay-port': { type: 'string' } },
    'npm start -- [--port 5173] [--relay-port 4444]',
  );
  const port = parsePort(args.port ?? process.env.PORT, 5173);
  const relayPort = parsePort(args['relay-port'] ?? process.env.RELAY_PORT, 4444);

  let stopping = false;
  /** @type {(() => Promise<void>)[]} */
  const cleanups = [];
  /** @param {NodeJS.Signals} signal */
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    if (buildChild) {
      // The build shares our process group and got the signal too;
      // make sure it is gone before we exit.
      buildChild.kill(signal);
    }
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(error);
      }
    }
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const config = loadDeploymentConfig();
  for (const warning of config.warnings) console.error(`medchain: warning: ${warning}`);
  const sources = connectSources(config);

  // The build does not track medchain.config.json or MEDCHAIN_*: compare its policy instead.
  const reason = (await buildReason()) ?? ((await buildMismatch(buildDir, sources)) ? 'the deployment configuration changed' : null);
  if (reason) {
    console.log(`medchain: building the app (${reason})…`);
    await viteBuild({ onChild: (child) => (buildChild = child) });
    if (!existsSync(path.join(buildDir, 'index.html'))) throw new Error('vite build did not write build/index.html');
  }
  if (stopping) return;

  let started;
  try {
    started = await startStaticServer({ root: buildDir, host: HOST, port, connectSources: sources });
  } catch (error) {
    if (error && /** @type {NodeJS.ErrnoException} */ (error).code === 'EADDRINUSE') {
      throw new Error(`port ${port} is already in use; try --port 0 for any free port`, { cause: error });
    }
    throw error;
  }
  const { server, url } = started;
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  const relay = await startRelay({ host: HOST, port: relayPort });
  cleanups.push(relay.close);

  console.log(`medchain app: ${url}`);
  console.log(`medchain relay: ${relay.url}`);
}

main().catch((error) => {
  console.error(`medchain: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
