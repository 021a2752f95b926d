#!/usr/bin/env node
// @ts-check
/**
 * One-shot network probes for checking a test world, run inside a
 * namespace (`ip netns exec NS node probe.mjs …`). Each prints one JSON
 * line and exits 0; a probe that could not get its answer says so in the
 * JSON ({"ok": false, "error": …}).
 *
 *   https-get URL CA_FILE                 GET over HTTPS trusting only CA_FILE
 *   udp-map SERVER… [--rounds N]          per round ONE local UDP socket sends to
 *                                         every udp-echo SERVER (HOST:PORT) and
 *                                         records the source address:port each saw
 *   tcp-connect HOST PORT TIMEOUT_MS      can a TCP connection be made?
 *   stun HOST PORT                        a STUN Binding request: the mapped address
 *   turn-relay HOST PORT USER PASS PEER DENIED_IP
 *                                         TURN over UDP: Allocate, CreatePermission
 *                                         for PEER (a udp-echo HOST:PORT), Send to it
 *                                         and read the echo back through the relay;
 *                                         then a CreatePermission for DENIED_IP,
 *                                         which the server should refuse (403)
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:net';

const [mode, ...args] = process.argv.slice(2);

/** @param {unknown} result */
function done(result) {
  console.log(JSON.stringify(result));
  process.exit(0);
}

/** @param {string} hostPort */
function split(hostPort) {
  const i = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) };
}

// ---- STUN / TURN (RFC 8489, RFC 8656), just enough for a check ----
const COOKIE = 0x2112a442;
const ATTR = {
  MAPPED: 0x0001,
  USERNAME: 0x0006,
  INTEGRITY: 0x0008,
  ERROR: 0x0009,
  PEER: 0x0012,
  DATA: 0x0013,
  REALM: 0x0014,
  NONCE: 0x0015,
  RELAYED: 0x0016,
  TRANSPORT: 0x0019,
  XOR_MAPPED: 0x0020,
};

/** @param {number} type @param {Buffer} value */
function attr(type, value) {
  const pad = (4 - (value.length % 4)) % 4;
  const b = Buffer.alloc(4 + value.length + pad);
  b.writeUInt16BE(type, 0);
  b.writeUInt16BE(value.length, 2);
  value.copy(b, 4);
  return b;
}
/** @param {number} type @param {number} length @param {Buffer} txid */
function header(type, length, txid) {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(length, 2);
  h.writeUInt32BE(COOKIE, 4);
  txid.copy(h, 8);
  return h;
}
/** @param {number} type @param {Buffer[]} attrs @param {Buffer} [key] */
function message(type, attrs, key) {
  const txid = randomBytes(12);
  let body = Buffer.concat(attrs);
  if (key) {
    const mac = createHmac('sha1', key)
      .update(Buffer.concat([header(type, body.length + 24, txid), body]))
      .digest();
    body = Buffer.concat([body, attr(ATTR.INTEGRITY, mac)]);
  }
  return { txid, bytes: Buffer.concat([header(type, body.length, txid), body]) };
}
/** @param {Buffer} b */
function parse(b) {
  /** @type {Map<number, Buffer>} */
  const attrs = new Map();
  let o = 20;
  while (o + 4 <= b.length) {
    const t = b.readUInt16BE(o);
    const l = b.readUInt16BE(o + 2);
    if (!attrs.has(t)) attrs.set(t, b.subarray(o + 4, o + 4 + l));
    o += 4 + l + ((4 - (l % 4)) % 4);
  }
  return { type: b.readUInt16BE(0), txid: b.subarray(8, 20), attrs };
}
/** @param {Buffer | undefined} v */
function xorAddress(v) {
  if (!v) return undefined;
  const port = v.readUInt16BE(2) ^ 0x2112;
  const n = (v.readUInt32BE(4) ^ COOKIE) >>> 0;
  return { address: [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'), port };
}
/** @param {string} address @param {number} port */
function xorAddressValue(address, port) {
  const v = Buffer.alloc(8);
  v[1] = 1;
  v.writeUInt16BE(port ^ 0x2112, 2);
  const n = address.split('.').reduce((a, x) => a * 256 + Number(x), 0);
  v.writeUInt32BE((n ^ COOKIE) >>> 0, 4);
  return v;
}
/** @param {Buffer | undefined} v */
function errorCode(v) {
  if (!v) return undefined;
  return { code: (v[2] ?? 0) * 100 + (v[3] ?? 0), reason: v.subarray(4).toString() };
}

/**
 * A UDP socket that sends STUN requests and matches answers by transaction id;
 * other datagrams go to `onOther`.
 */
function stunSocket() {
  const sock = createSocket('udp4');
  /** @type {Map<string, (m: ReturnType<typeof parse>) => void>} */
  const pending = new Map();
  /** @type {(m: ReturnType<typeof parse>, raw: Buffer) => void} */
  let onOther = () => undefined;
  sock.on('message', (raw) => {
    if (raw.length < 20 || raw.readUInt32BE(4) !== COOKIE) return;
    const m = parse(raw);
    const f = pending.get(m.txid.toString('hex'));
    if (f) {
      pending.delete(m.txid.toString('hex'));
      f(m);
    } else onOther(m, raw);
  });
  return {
    sock,
    /** @param {(m: ReturnType<typeof parse>, raw: Buffer) => void} f */
    setOnOther(f) {
      onOther = f;
    },
    /** @param {{txid: Buffer, bytes: Buffer}} msg @param {string} host @param {number} port @returns {Promise<ReturnType<typeof parse>>} */
    ask(msg, host, port) {
      return new Promise((resolve, reject) => {
        const id = msg.txid.toString('hex');
        let tries = 0;
        const send = () => {
          if (!pending.has(id)) return;
          if (tries++ >= 5) {
            pending.delete(id);
            return reject(new Error(`no STUN answer from ${host}:${port}`));
          }
          sock.send(msg.bytes, port, host);
          setTimeout(send, 400);
        };
        pending.set(id, resolve);
        send();
      });
    },
  };
}

async function stun() {
  const [host = '', port = '3478'] = args;
  const s = stunSocket();
  try {
    const r = await s.ask(message(0x0001, []), host, Number(port));
    done({ ok: r.type === 0x0101, mapped: xorAddress(r.attrs.get(ATTR.XOR_MAPPED)) });
  } catch (e) {
    done({ ok: false, error: String(e) });
  }
}

async function turnRelay() {
  const [host = '', portText = '3478', username = '', password = '', peerText = '', deniedIp = ''] = args;
  const port = Number(portText);
  const peer = split(peerText);
  const s = stunSocket();
  const result = /** @type {Record<string, unknown>} */ ({ ok: false });
  try {
    const transport = attr(ATTR.TRANSPORT, Buffer.from([17, 0, 0, 0]));
    const first = await s.ask(message(0x0003, [transport]), host, port);
    result.firstAllocate = errorCode(first.attrs.get(ATTR.ERROR)) ?? 'success without credentials?';
    const realm = first.attrs.get(ATTR.REALM) ?? Buffer.alloc(0);
    const nonce = first.attrs.get(ATTR.NONCE) ?? Buffer.alloc(0);
    const key = createHash('md5').update(`${username}:${realm.toString()}:${password}`).digest();
    const auth = [attr(ATTR.USERNAME, Buffer.from(username)), attr(ATTR.REALM, realm), attr(ATTR.NONCE, nonce)];
    const alloc = await s.ask(message(0x0003, [transport, ...auth], key), host, port);
    if (alloc.type !== 0x0103) {
      result.error = { allocate: errorCode(alloc.attrs.get(ATTR.ERROR)) };
      return done(result);
    }
    result.relayed = xorAddress(alloc.attrs.get(ATTR.RELAYED));
    result.mapped = xorAddress(alloc.attrs.get(ATTR.XOR_MAPPED));
    const perm = await s.ask(message(0x0008, [attr(ATTR.PEER, xorAddressValue(peer.host, peer.port)), ...auth], key), host, port);
    result.permission = perm.type === 0x0108 ? 'granted' : errorCode(perm.attrs.get(ATTR.ERROR));
    if (perm.type === 0x0108) {
      const echoed = new Promise((resolve) => {
        s.setOnOther((m) => {
          if (m.type === 0x0017) resolve({ from: xorAddress(m.attrs.get(ATTR.PEER)), data: m.attrs.get(ATTR.DATA)?.toString() });
        });
      });
      const send = message(0x0016, [attr(ATTR.PEER, xorAddressValue(peer.host, peer.port)), attr(ATTR.DATA, Buffer.from('via-turn'))]);
      for (let i = 0; i < 3; i++) s.sock.send(send.bytes, port, host);
      const got = await Promise.race([echoed, new Promise((r) => setTimeout(() => r(undefined), 3000))]);
      result.echo = got;
    }
    if (deniedIp) {
      const denied = await s.ask(message(0x0008, [attr(ATTR.PEER, xorAddressValue(deniedIp, 9)), ...auth], key), host, port);
      result.deniedPermission = denied.type === 0x0108 ? 'granted' : errorCode(denied.attrs.get(ATTR.ERROR));
    }
    result.ok = true;
  } catch (e) {
    result.error = String(e);
  }
  done(result);
}

async function udpMap() {
  let rounds = 1;
  const servers = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--rounds') rounds = Number(args[++i]);
    else servers.push(split(args[i] ?? ''));
  }
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const sock = createSocket('udp4');
    await new Promise((res) => sock.bind(0, () => res(undefined)));
    const local = sock.address().port;
    /** @type {Map<string, {address: string, port: number}>} */
    const seen = new Map();
    sock.on('message', (msg) => {
      const j = JSON.parse(msg.toString());
      seen.set(j.server, j.seen);
    });
    for (let t = 0; t < 10 && seen.size < servers.length; t++) {
      for (const s of servers) if (!seen.has(`${s.host}:${s.port}`)) sock.send(`round ${r}`, s.port, s.host);
      await new Promise((res) => setTimeout(res, 150));
    }
    sock.close();
    out.push({
      localPort: local,
      seen: servers.map((s) => ({ server: `${s.host}:${s.port}`, ...(seen.get(`${s.host}:${s.port}`) ?? { address: null, port: null }) })),
    });
  }
  done({ ok: out.every((o) => o.seen.every((s) => s.port !== null)), rounds: out });
}

function tcpConnect() {
  const [host = '', port = '0', timeout = '1500'] = args;
  const sock = connect({ host, port: Number(port) });
  const timer = setTimeout(() => {
    sock.destroy();
    done({ ok: true, connected: false, error: 'timeout' });
  }, Number(timeout));
  sock.once('connect', () => {
    clearTimeout(timer);
    sock.destroy();
    done({ ok: true, connected: true });
  });
  sock.once('error', (e) => {
    clearTimeout(timer);
    done({ ok: true, connected: false, error: /** @type {NodeJS.ErrnoException} */ (e).code ?? e.message });
  });
}

function httpsGet() {
  const [url = '', caFile = ''] = args;
  const req = request(url, { ca: readFileSync(caFile), timeout: 5000 }, (res) => {
    let body = '';
    const remote = res.socket?.remoteAddress;
    res.on('data', (d) => (body += d));
    res.on('end', () => done({ ok: true, status: res.statusCode, body: body.slice(0, 200), remote }));
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (e) => done({ ok: false, error: /** @type {NodeJS.ErrnoException} */ (e).code ?? e.message }));
  req.end();
}

const modes = { stun, 'turn-relay': turnRelay, 'udp-map': udpMap, 'tcp-connect': tcpConnect, 'https-get': httpsGet };
const f = /** @type {Record<string, () => unknown>} */ (modes)[mode ?? ''];
if (!f) {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
void f();
