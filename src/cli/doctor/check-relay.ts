/**
 * The doctor's relay checks (SPEC §6): for each relay the page may connect
 * to, what a browser's node does with it — open a WebSocket (over TLS),
 * subscribe to a room, ping, have a publish forwarded to a second
 * connection, and ask for TURN credentials with a signed request, as
 * core/signal/turn-request.ts defines it. The node key is a throwaway one
 * and the room a random one, so nothing touches a real network's rooms.
 * Credentials are returned for the TURN check, never printed.
 */
import { randomBytes } from 'node:crypto';
import { toHex } from '../../lib/core/bytes';
import { type TurnServers, TURN_REQUEST_SKEW_MS, readTurnAnswer, turnRequestFrame, turnRequestMessage } from '../../lib/core/signal/turn-request';
import { publicKeyOf, sign } from '../../lib/core/signature';
import { certificateNote } from './certificate';
import type { DoctorContext } from './context';
import { describeFailure } from './net-errors';
import { RelayConnection } from './relay-connection';

/** The `type` of a JSON frame, or null. */
function typeOf(frame: string): string | null {
  try {
    const m: unknown = JSON.parse(frame);
    return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string' ? (m as { type: string }).type : null;
  } catch {
    return null;
  }
}

/**
 * Opens a connection and subscribes it to `topic`, proven by a pong (the
 * relay handles one client's frames in order). Errors say which step failed.
 */
async function subscribed(url: string, topic: string, ctx: DoctorContext): Promise<RelayConnection> {
  let connection: RelayConnection;
  try {
    connection = await RelayConnection.open(url, ctx.trust, ctx.timeoutMs);
  } catch (e) {
    throw new Error(`cannot open a WebSocket: ${describeFailure(e)}`, { cause: e });
  }
  try {
    connection.send({ type: 'subscribe', topics: [topic] });
    connection.send({ type: 'ping' });
    await connection.next((f) => typeOf(f) === 'pong', ctx.timeoutMs);
    return connection;
  } catch (e) {
    connection.close();
    throw new Error(`connected and subscribed, but got no pong: ${describeFailure(e)}`, { cause: e });
  }
}

/** Asks for TURN credentials as a node does; the relay answers only a request signed for its own host and a subscribed room. */
async function askTurn(connection: RelayConnection, url: string, topic: string, ctx: DoctorContext): Promise<TurnServers | 'none' | null> {
  const secret = randomBytes(32);
  const request = { key: publicKeyOf(secret), topic, time: ctx.now(), nonce: randomBytes(16) };
  const host = new URL(url).host;
  connection.send(turnRequestFrame(request, sign(turnRequestMessage(host, request), secret)));
  const frame = await connection.next((f) => typeOf(f) === 'turn', ctx.timeoutMs);
  return readTurnAnswer(JSON.parse(frame) as Record<string, unknown>);
}

/**
 * Checks the relay at `url` (c, d): one line on its signalling, one on its
 * TURN credentials. Returns the credentials it handed out, or null.
 */
export async function checkRelay(url: string, pageIsHttps: boolean, loopback: boolean, ctx: DoctorContext): Promise<TurnServers | null> {
  const subject = `relay ${url}`;
  const secure = url.toLowerCase().startsWith('wss:');
  if (!secure && pageIsHttps && !loopback) {
    ctx.report.fail(subject, 'browsers block ws:// to another host from an https:// page (mixed content): serve the relay over wss:// and list it so');
    return null;
  }
  const topic = toHex(randomBytes(32));
  const started = ctx.now();
  let a: RelayConnection;
  try {
    a = await subscribed(url, topic, ctx);
  } catch (e) {
    ctx.report.fail(subject, (e as Error).message);
    return null;
  }
  let b: RelayConnection | null = null;
  try {
    const marker = toHex(randomBytes(8));
    try {
      b = await subscribed(url, topic, ctx);
      a.send({ type: 'publish', topic, data: { type: 'medchain-doctor', marker } });
      await b.next((f) => f.includes(marker), ctx.timeoutMs);
    } catch (e) {
      ctx.report.fail(
        subject,
        `answers ping, but did not pass a publish to a second connection in the same room: ${describeFailure(e)} (several relay processes behind one name share no rooms)`,
      );
      return null;
    }
    const note = certificateNote(a.certificate, ctx.now());
    const transport = secure ? `WebSocket over TLS (${note?.text ?? 'no certificate shown'})` : 'WebSocket without TLS (on this computer only)';
    const summary = `${transport}; subscribe, ping → pong, publish forwarded to a second connection (${ctx.now() - started} ms)`;
    if (note?.expiresSoon) ctx.report.warn(subject, summary);
    else ctx.report.ok(subject, summary);

    let answer;
    try {
      answer = await askTurn(a, url, topic, ctx);
    } catch (e) {
      ctx.report.fail(
        subject,
        `no answer to a signed TURN credentials request: ${describeFailure(e)}. The relay stays silent when the Host header it received is not ${new URL(url).host} (a proxy that rewrites Host) or when this machine's clock is more than ${TURN_REQUEST_SKEW_MS / 60_000} minutes off the relay's`,
      );
      return null;
    }
    if (answer === null) {
      ctx.report.fail(subject, 'answered the TURN credentials request with a frame nodes reject (malformed URLs, username or ttl)');
      return null;
    }
    if (answer === 'none') {
      ctx.report.warn(
        subject,
        'no TURN configured: peers whose NAT or firewall blocks a direct link cannot connect (run the relay with --turn-url and --turn-secret-file, or set turn in medchain.config.json)',
      );
      return null;
    }
    ctx.report.ok(subject, `hands out TURN credentials for ${answer.urls.join(', ')}, valid ${answer.ttl} s`);
    return answer;
  } finally {
    a.close();
    b?.close();
  }
}
