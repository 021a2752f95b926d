#!/usr/bin/env node
// @ts-check
/**
 * Tiny servers for checking a test world (tests/sites/world.check.ts), run
 * inside a namespace with `spawnIn`. Each prints one `listening …` line
 * once ready.
 *
 *   node servers.mjs https HOST PORT CERT KEY   a page at / that can register
 *                                               the service worker /sw.js
 *   node servers.mjs udp-echo HOST:PORT…        answers each datagram with JSON
 *                                               {server, seen: {address, port}, data}
 *   node servers.mjs tcp HOST PORT              says hello to each connection
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer } from 'node:net';

const [mode, ...args] = process.argv.slice(2);

/** @param {string} hostPort */
function split(hostPort) {
  const i = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) };
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>medchain test world</title></head>
<body><h1>medchain test world</h1>
<script>window.worldPage = { secure: window.isSecureContext, origin: location.origin };</script>
</body></html>
`;
const SW = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', () => {});
`;

if (mode === 'https') {
  const [host = '', port = '443', cert = '', key = ''] = args;
  const server = createHttpsServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PAGE);
    } else if (path === '/sw.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(SW);
    } else if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else if (path === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`ok ${req.socket.remoteAddress}\n`);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  server.listen(Number(port), host, () => console.log(`listening https://${host}:${port}`));
} else if (mode === 'udp-echo') {
  let open = 0;
  for (const hp of args) {
    const { host, port } = split(hp);
    const sock = createSocket('udp4');
    sock.on('message', (msg, rinfo) => {
      const reply = JSON.stringify({ server: hp, seen: { address: rinfo.address, port: rinfo.port }, data: msg.toString() });
      sock.send(reply, rinfo.port, rinfo.address);
    });
    sock.bind(port, host, () => {
      if (++open === args.length) console.log(`listening udp ${args.join(' ')}`);
    });
  }
} else if (mode === 'tcp') {
  const [host = '', port = '0'] = args;
  const server = createTcpServer((c) => c.end(`hello from ${host}\n`));
  server.listen(Number(port), host, () => console.log(`listening tcp ${host}:${port}`));
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
