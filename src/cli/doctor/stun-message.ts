/**
 * STUN messages (RFC 8489), the framing TURN uses: encoding with
 * MESSAGE-INTEGRITY and FINGERPRINT, and a decoder for a server's answers.
 * `medchain doctor` performs a real TURN Allocate with it, so an operator
 * learns whether browsers will actually get a relayed address — the one
 * thing a TCP port check cannot tell. The decoder reads a stranger's bytes:
 * it returns null for anything malformed and never throws.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from './crc32';

/** Every STUN message since RFC 5389 carries this after its length. */
export const MAGIC_COOKIE = 0x2112a442;
const HEADER_BYTES = 20;
const INTEGRITY_BYTES = 20;
/** FINGERPRINT is the CRC-32 XORed with this ("STUN"), so it differs from other CRCs in the same packet. */
const FINGERPRINT_XOR = 0x5354554e;

/** The attribute types the doctor reads or writes (RFC 8489 §18.3, RFC 8656 §18). */
export const ATTR = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  LIFETIME: 0x000d,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
  XOR_MAPPED_ADDRESS: 0x0020,
  SOFTWARE: 0x8022,
  FINGERPRINT: 0x8028,
} as const;

/** The message classes, as the two class bits spread over the type field. */
export const CLASS = { request: 0x0000, success: 0x0100, error: 0x0110 } as const;

/** The methods the doctor uses. */
export const METHOD = { binding: 0x001, allocate: 0x003, refresh: 0x004 } as const;

export interface StunAttribute {
  readonly type: number;
  readonly value: Uint8Array;
}

export interface StunMessage {
  /** Method and class together, as on the wire (e.g. 0x0113: Allocate error response). */
  readonly type: number;
  /** 12 bytes that pair an answer with its request. */
  readonly transactionId: Uint8Array;
  readonly attributes: readonly StunAttribute[];
}

/** The class bits of a message type (compare with {@link CLASS}). */
export function classOf(type: number): number {
  return type & 0x0110;
}

/** The method of a message type (compare with {@link METHOD}). */
export function methodOf(type: number): number {
  return (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
}

/** The wire type of `method` in class `klass`. */
export function messageType(method: number, klass: number): number {
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | klass;
}

function header(type: number, length: number, transactionId: Uint8Array): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(length, 2);
  h.writeUInt32BE(MAGIC_COOKIE, 4);
  h.set(transactionId, 8);
  return h;
}

/** One attribute, padded to a multiple of 4 bytes with zeros. */
function encodeAttribute(type: number, value: Uint8Array): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  padded.set(value, 4);
  return padded;
}

/**
 * The message's bytes. With `integrityKey`, a MESSAGE-INTEGRITY attribute
 * (HMAC-SHA1 over everything before it, the length counting it); with
 * `fingerprint`, a FINGERPRINT last (RFC 8489 §14.5, §14.7).
 */
export function encodeStun(message: StunMessage, options: { integrityKey?: Uint8Array; fingerprint?: boolean } = {}): Buffer {
  if (message.transactionId.length !== 12) throw new Error('a STUN transaction id has 12 bytes');
  let body = Buffer.concat(message.attributes.map((a) => encodeAttribute(a.type, a.value)));
  if (options.integrityKey) {
    const covered = Buffer.concat([header(message.type, body.length + 4 + INTEGRITY_BYTES, message.transactionId), body]);
    const mac = createHmac('sha1', options.integrityKey).update(covered).digest();
    body = Buffer.concat([body, encodeAttribute(ATTR.MESSAGE_INTEGRITY, mac)]);
  }
  if (options.fingerprint) {
    const covered = Buffer.concat([header(message.type, body.length + 8, message.transactionId), body]);
    const value = Buffer.alloc(4);
    value.writeUInt32BE((crc32(covered) ^ FINGERPRINT_XOR) >>> 0, 0);
    body = Buffer.concat([body, encodeAttribute(ATTR.FINGERPRINT, value)]);
  }
  return Buffer.concat([header(message.type, body.length, message.transactionId), body]);
}

/** Attributes with their offsets in the message, or null when the framing is broken. */
function walk(bytes: Uint8Array): { type: number; value: Uint8Array; offset: number }[] | null {
  if (bytes.length < HEADER_BYTES || (bytes[0]! & 0xc0) !== 0) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint16(2);
  if (view.getUint32(4) !== MAGIC_COOKIE || length % 4 !== 0 || HEADER_BYTES + length !== bytes.length) return null;
  const out: { type: number; value: Uint8Array; offset: number }[] = [];
  let offset = HEADER_BYTES;
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length) return null;
    const type = view.getUint16(offset);
    const valueLength = view.getUint16(offset + 2);
    const end = offset + 4 + valueLength;
    if (end > bytes.length) return null;
    out.push({ type, value: bytes.subarray(offset + 4, end), offset });
    offset += 4 + Math.ceil(valueLength / 4) * 4;
  }
  return offset === bytes.length ? out : null;
}

/** A STUN message from a datagram, or null when it is not one (or is malformed). */
export function decodeStun(bytes: Uint8Array): StunMessage | null {
  const attributes = walk(bytes);
  if (!attributes) return null;
  const type = (bytes[0]! << 8) | bytes[1]!;
  return { type, transactionId: bytes.slice(8, 20), attributes: attributes.map(({ type: t, value }) => ({ type: t, value })) };
}

/** The value of the first attribute of `type`, if any. */
export function attribute(message: StunMessage, type: number): Uint8Array | undefined {
  return message.attributes.find((a) => a.type === type)?.value;
}

/** The message's bytes up to attribute `offset`, with the length field set as if the message ended `extra` bytes after it. */
function coveredPart(bytes: Uint8Array, offset: number, extra: number): Buffer {
  const part = Buffer.from(bytes.subarray(0, offset));
  part.writeUInt16BE(offset - HEADER_BYTES + extra, 2);
  return part;
}

/**
 * Does the message's MESSAGE-INTEGRITY match `key`? null when it has none
 * (or the message is malformed). An answer that verifies comes from a
 * server that knows the credential, not from someone on the path.
 */
export function verifyIntegrity(bytes: Uint8Array, key: Uint8Array): boolean | null {
  const at = walk(bytes)?.find((a) => a.type === ATTR.MESSAGE_INTEGRITY);
  if (!at || at.value.length !== INTEGRITY_BYTES) return null;
  const mac = createHmac('sha1', key)
    .update(coveredPart(bytes, at.offset, 4 + INTEGRITY_BYTES))
    .digest();
  return timingSafeEqual(mac, at.value);
}

/** Does the message's FINGERPRINT match its bytes? null when it has none. */
export function verifyFingerprint(bytes: Uint8Array): boolean | null {
  const at = walk(bytes)?.find((a) => a.type === ATTR.FINGERPRINT);
  if (!at || at.value.length !== 4) return null;
  const expected = (crc32(coveredPart(bytes, at.offset, 8)) ^ FINGERPRINT_XOR) >>> 0;
  return Buffer.from(at.value).readUInt32BE(0) === expected;
}

/**
 * The long-term credential key (RFC 8489 §9.2.2): MD5(username:realm:password).
 * Passwords from coturn's REST scheme are base64, which SASLprep leaves as they are.
 */
export function longTermKey(username: string, realm: string, password: string): Buffer {
  return createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest();
}
