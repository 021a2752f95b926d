/**
 * The STUN/TURN attribute values the doctor writes and reads (RFC 8489
 * §14, RFC 8656 §18): XOR-obfuscated addresses (the relayed address the
 * doctor reports), ERROR-CODE (the reason it reports when a TURN server
 * refuses), REQUESTED-TRANSPORT and LIFETIME. Readers return null for
 * malformed values, never throw.
 */
import { MAGIC_COOKIE } from './stun-message';

/** A transport address as a person reads it. */
export interface TransportAddress {
  readonly family: 4 | 6;
  readonly address: string;
  readonly port: number;
}

/** `address:port`, IPv6 in brackets. */
export function showAddress(a: TransportAddress): string {
  return a.family === 6 ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

/**
 * An XOR-MAPPED-ADDRESS / XOR-RELAYED-ADDRESS value (RFC 8489 §14.2): the
 * port XORed with the cookie's top half, an IPv4 address with the cookie, an
 * IPv6 address with the cookie and the transaction id.
 */
export function readXorAddress(value: Uint8Array, transactionId: Uint8Array): TransportAddress | null {
  if (value.length < 4) return null;
  const family = value[1];
  const mask = Buffer.alloc(16);
  mask.writeUInt32BE(MAGIC_COOKIE, 0);
  mask.set(transactionId.subarray(0, 12), 4);
  const port = (((value[2]! << 8) | value[3]!) ^ (MAGIC_COOKIE >>> 16)) & 0xffff;
  if (family === 0x01 && value.length === 8) {
    const ip = [0, 1, 2, 3].map((i) => value[4 + i]! ^ mask[i]!);
    return { family: 4, address: ip.join('.'), port };
  }
  if (family === 0x02 && value.length === 20) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push((((value[4 + i]! ^ mask[i]!) << 8) | (value[5 + i]! ^ mask[i + 1]!)).toString(16));
    return { family: 6, address: compressIpv6(groups), port };
  }
  return null;
}

/** Eight hex groups as RFC 5952 writes them: the longest run of two or more zero groups as `::`. */
function compressIpv6(groups: string[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  if (best.length < 2) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

/** An ERROR-CODE value (RFC 8489 §14.8): e.g. `{ code: 401, reason: 'Unauthorized' }`. */
export function readErrorCode(value: Uint8Array): { code: number; reason: string } | null {
  if (value.length < 4) return null;
  const klass = value[2]! & 0x07;
  const number = value[3]!;
  if (klass < 3 || klass > 6 || number > 99) return null;
  return { code: klass * 100 + number, reason: Buffer.from(value.subarray(4)).toString('utf8') };
}

/** REQUESTED-TRANSPORT for UDP (protocol 17): browsers relay UDP only. */
export function requestedTransportUdp(): Uint8Array {
  return Uint8Array.of(17, 0, 0, 0);
}

/** A LIFETIME value in seconds (0 in a Refresh deletes the allocation). */
export function lifetime(seconds: number): Uint8Array {
  const v = Buffer.alloc(4);
  v.writeUInt32BE(seconds, 0);
  return v;
}
