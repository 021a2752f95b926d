/**
 * A real TURN Allocate over UDP (RFC 8656 §7.2, with RFC 8489's long-term
 * credential mechanism), as a browser makes it when a direct link fails:
 * an unauthenticated Allocate draws `401` with the realm and a nonce; the
 * same request with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY (key
 * MD5(username:realm:password)) gets a relayed address — or the error that
 * tells an operator what is wrong (a secret the relay and coturn do not
 * share gives 401 again). The allocation is released at once (Refresh with
 * lifetime 0) so the doctor leaves nothing behind on the server.
 */
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { describeFailure, seconds, within } from './net-errors';
import { lifetime, readErrorCode, readXorAddress, requestedTransportUdp, showAddress } from './stun-attributes';
import { ATTR, CLASS, METHOD, type StunAttribute, type StunMessage, attribute, classOf, longTermKey, messageType, verifyIntegrity } from './stun-message';
import { type Answer, StunClient } from './stun-client';

/** What came of the Allocate. */
export type AllocateOutcome =
  { readonly ok: true; readonly relayed: string; readonly mapped: string | null; readonly realm: string } | { readonly ok: false; readonly reason: string };

function request(method: number, attributes: StunAttribute[]): StunMessage {
  return { type: messageType(method, CLASS.request), transactionId: randomBytes(12), attributes };
}

const text = (value: string): Uint8Array => Buffer.from(value, 'utf8');
const textOf = (value: Uint8Array | undefined): string => (value ? Buffer.from(value).toString('utf8') : '');

/** `401 Unauthorized` from an error answer. */
function errorOf(answer: Answer): string {
  const error = readErrorCode(attribute(answer.message, ATTR.ERROR_CODE) ?? new Uint8Array());
  return error ? `${error.code} ${error.reason}`.trim() : 'an error answer without ERROR-CODE';
}

function errorCodeOf(answer: Answer): number | null {
  return readErrorCode(attribute(answer.message, ATTR.ERROR_CODE) ?? new Uint8Array())?.code ?? null;
}

/** What an authenticated Allocate's refusal means for the deployment. */
function explainRefusal(code: number | null, shown: string): string {
  if (code === 401)
    return `Allocate refused: ${shown}: the TURN server does not accept the relay's credentials (the relay's TURN secret file and coturn's static-auth-secret must be the same)`;
  if (code === 486) return `Allocate refused: ${shown}: this credential has too many allocations (coturn's user-quota)`;
  if (code === 508) return `Allocate refused: ${shown}: the server is out of relay ports or over its total-quota`;
  if (code === 403) return `Allocate refused: ${shown}: the server forbids this client`;
  return `Allocate refused: ${shown}`;
}

/**
 * Allocates a UDP relay on `host:port` with the long-term credentials
 * `username`/`password`, each exchange bounded by `timeoutMs`, then releases it.
 */
export async function turnAllocate(
  host: string,
  port: number,
  credentials: { readonly username: string; readonly password: string },
  timeoutMs: number,
): Promise<AllocateOutcome> {
  let target;
  try {
    target = await within(timeoutMs, lookup(host));
  } catch (e) {
    return { ok: false, reason: `cannot resolve ${host}: ${describeFailure(e)}` };
  }
  let client: StunClient;
  try {
    client = await StunClient.connect(target.address, target.family === 6 ? 6 : 4, port);
  } catch (e) {
    return { ok: false, reason: describeFailure(e) };
  }
  const silent = `no answer within ${seconds(timeoutMs)} (UDP ${port} blocked on the way, or no TURN server there)`;
  try {
    const transport = { type: ATTR.REQUESTED_TRANSPORT, value: requestedTransportUdp() };
    const first = await client.ask(request(METHOD.allocate, [transport]), {}, timeoutMs);
    if (!first) return { ok: false, reason: silent };
    if (classOf(first.message.type) === CLASS.success) {
      return { ok: false, reason: 'the server allocated a relay without credentials: anyone can use it (set use-auth-secret)' };
    }
    if (errorCodeOf(first) !== 401) return { ok: false, reason: `unauthenticated Allocate answered ${errorOf(first)} instead of 401 with a realm and a nonce` };

    let realm = textOf(attribute(first.message, ATTR.REALM));
    let nonce = textOf(attribute(first.message, ATTR.NONCE));
    if (realm === '' || nonce === '') return { ok: false, reason: '401 without REALM or NONCE: not the long-term credential mechanism' };
    const key = () => longTermKey(credentials.username, realm, credentials.password);
    const auth = () => [
      { type: ATTR.USERNAME, value: text(credentials.username) },
      { type: ATTR.REALM, value: text(realm) },
      { type: ATTR.NONCE, value: text(nonce) },
    ];

    let answer: Answer | null = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      answer = await client.ask(request(METHOD.allocate, [transport, ...auth()]), { integrityKey: key(), fingerprint: true }, timeoutMs);
      if (!answer) return { ok: false, reason: `authenticated Allocate: ${silent}` };
      // 438 Stale Nonce: the answer carries a fresh nonce to retry with, once.
      if (classOf(answer.message.type) !== CLASS.error || errorCodeOf(answer) !== 438) break;
      nonce = textOf(attribute(answer.message, ATTR.NONCE));
      realm = textOf(attribute(answer.message, ATTR.REALM)) || realm;
    }
    if (!answer) return { ok: false, reason: silent };
    if (classOf(answer.message.type) !== CLASS.success) return { ok: false, reason: explainRefusal(errorCodeOf(answer), errorOf(answer)) };
    if (verifyIntegrity(answer.bytes, key()) === false) {
      return { ok: false, reason: "the success answer's MESSAGE-INTEGRITY does not match the credentials: something on the path rewrote it" };
    }
    const relayedValue = attribute(answer.message, ATTR.XOR_RELAYED_ADDRESS);
    const relayed = relayedValue ? readXorAddress(relayedValue, answer.message.transactionId) : null;
    if (!relayed) return { ok: false, reason: 'Allocate succeeded without a usable XOR-RELAYED-ADDRESS' };
    const mappedValue = attribute(answer.message, ATTR.XOR_MAPPED_ADDRESS);
    const mapped = mappedValue ? readXorAddress(mappedValue, answer.message.transactionId) : null;

    // Release the allocation; a lost answer only means it expires on its own.
    await client
      .ask(
        request(METHOD.refresh, [{ type: ATTR.LIFETIME, value: lifetime(0) }, ...auth()]),
        { integrityKey: key(), fingerprint: true },
        Math.min(timeoutMs, 1000),
      )
      .catch(() => null);
    return { ok: true, relayed: showAddress(relayed), mapped: mapped ? showAddress(mapped) : null, realm };
  } catch (e) {
    return { ok: false, reason: describeFailure(e) };
  } finally {
    client.close();
  }
}
