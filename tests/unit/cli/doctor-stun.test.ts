/**
 * `medchain doctor`'s STUN/TURN framing against RFC 5769's test vectors
 * (the published bytes, not a round trip of our own encoder): message
 * integrity with a short-term and a long-term key, FINGERPRINT, XOR
 * addresses; then our encoder's output checked by the same verifiers, and
 * the decoder's refusal of broken framing. Plus the TURN URL reader.
 */
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/cli/doctor/crc32';
import { readErrorCode, readXorAddress } from '../../../src/cli/doctor/stun-attributes';
import {
  ATTR,
  CLASS,
  METHOD,
  attribute,
  classOf,
  decodeStun,
  encodeStun,
  longTermKey,
  messageType,
  methodOf,
  verifyFingerprint,
  verifyIntegrity,
} from '../../../src/cli/doctor/stun-message';
import { firstUdpTurnUrl, parseTurnUrl } from '../../../src/cli/doctor/turn-url';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 5769 §2.1: a Binding request with a short-term credential ("VOkJxbRl1RmTxUk/WvJxBt").
const REQUEST = hex(`
  00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff 80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf`);
const SHORT_TERM = Buffer.from('VOkJxbRl1RmTxUk/WvJxBt');

// RFC 5769 §2.2 and §2.3: success answers carrying 192.0.2.1:32853 and 2001:db8:1234:5678:11:2233:4455:6677 port 32853.
const IPV4_RESPONSE = hex(`
  01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96`);
const IPV6_RESPONSE = hex(`
  01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
  80 28 00 04 c8 fb 0b 4c`);

// RFC 5769 §2.4: a request with a long-term credential (user "マトリックス", realm example.org, password "TheMatrIX" after SASLprep).
const LONG_TERM_REQUEST = hex(`
  00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
  00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
  00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
  00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
  00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66`);

describe('doctor: STUN messages (RFC 5769 vectors)', () => {
  it('decodes the sample request and verifies its MESSAGE-INTEGRITY and FINGERPRINT', () => {
    const m = decodeStun(REQUEST)!;
    expect(m.type).toBe(0x0001);
    expect(Buffer.from(m.transactionId).toString('hex')).toBe('b7e7a701bc34d686fa87dfae');
    expect(Buffer.from(attribute(m, ATTR.SOFTWARE)!).toString()).toBe('STUN test client');
    expect(Buffer.from(attribute(m, ATTR.USERNAME)!).toString()).toBe('evtj:h6vY');
    expect(verifyIntegrity(REQUEST, SHORT_TERM)).toBe(true);
    expect(verifyIntegrity(REQUEST, Buffer.from('not the password'))).toBe(false);
    expect(verifyFingerprint(REQUEST)).toBe(true);
  });

  it('reads the XOR-MAPPED-ADDRESS of the IPv4 and IPv6 answers, whose integrity verifies', () => {
    for (const [bytes, address] of [
      [IPV4_RESPONSE, { family: 4, address: '192.0.2.1', port: 32853 }],
      [IPV6_RESPONSE, { family: 6, address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 }],
    ] as const) {
      const m = decodeStun(bytes)!;
      expect(classOf(m.type)).toBe(CLASS.success);
      expect(methodOf(m.type)).toBe(METHOD.binding);
      expect(readXorAddress(attribute(m, ATTR.XOR_MAPPED_ADDRESS)!, m.transactionId)).toEqual(address);
      expect(verifyIntegrity(bytes, SHORT_TERM)).toBe(true);
      expect(verifyFingerprint(bytes)).toBe(true);
    }
  });

  it('verifies the long-term request with the key MD5(username:realm:password)', () => {
    const m = decodeStun(LONG_TERM_REQUEST)!;
    const username = Buffer.from(attribute(m, ATTR.USERNAME)!).toString('utf8');
    expect(username).toBe('マトリックス');
    expect(Buffer.from(attribute(m, ATTR.REALM)!).toString()).toBe('example.org');
    expect(Buffer.from(attribute(m, ATTR.NONCE)!).toString()).toBe('f//499k954d6OL34oL9FSTvy64sA');
    expect(verifyIntegrity(LONG_TERM_REQUEST, longTermKey(username, 'example.org', 'TheMatrIX'))).toBe(true);
    expect(verifyIntegrity(LONG_TERM_REQUEST, longTermKey(username, 'example.org', 'TheMatrix'))).toBe(false);
    expect(verifyFingerprint(LONG_TERM_REQUEST)).toBeNull(); // it has none
  });

  it('encodes the long-term request byte for byte from its attributes and key (its padding is zeros, as ours)', () => {
    const m = decodeStun(LONG_TERM_REQUEST)!;
    const bare = { ...m, attributes: m.attributes.filter((a) => a.type !== ATTR.MESSAGE_INTEGRITY) };
    const key = longTermKey('マトリックス', 'example.org', 'TheMatrIX');
    expect(encodeStun(bare, { integrityKey: key })).toEqual(LONG_TERM_REQUEST);
  });

  it('makes requests whose integrity and fingerprint its own verifiers (and a server) accept', () => {
    const key = longTermKey('1800000000:ab', 'medchain.test', 'c3VwZXI=');
    const bytes = encodeStun(
      {
        type: messageType(METHOD.allocate, CLASS.request),
        transactionId: Buffer.alloc(12, 7),
        attributes: [{ type: ATTR.REQUESTED_TRANSPORT, value: Uint8Array.of(17, 0, 0, 0) }],
      },
      { integrityKey: key, fingerprint: true },
    );
    expect(bytes.readUInt16BE(0)).toBe(0x0003);
    expect(bytes.readUInt16BE(2)).toBe(bytes.length - 20);
    expect(verifyIntegrity(bytes, key)).toBe(true);
    expect(verifyFingerprint(bytes)).toBe(true);
    bytes[25] = 6; // TCP instead of UDP: both checks now fail
    expect(verifyIntegrity(bytes, key)).toBe(false);
    expect(verifyFingerprint(bytes)).toBe(false);
    expect(messageType(METHOD.allocate, CLASS.error)).toBe(0x0113);
    expect(messageType(METHOD.refresh, CLASS.success)).toBe(0x0104);
  });

  it('refuses broken framing instead of throwing', () => {
    expect(decodeStun(REQUEST.subarray(0, 19))).toBeNull();
    const badCookie = Buffer.from(REQUEST);
    badCookie[4] = 0;
    expect(decodeStun(badCookie)).toBeNull();
    const longer = Buffer.from(REQUEST);
    longer[3] = 0xff;
    expect(decodeStun(longer)).toBeNull();
    const attributePastEnd = Buffer.from(REQUEST);
    attributePastEnd[23] = 0x40; // SOFTWARE claims 64 bytes
    expect(decodeStun(attributePastEnd)).toBeNull();
    const notStun = Buffer.from(REQUEST);
    notStun[0] = 0x80; // the first two bits of STUN are zero
    expect(decodeStun(notStun)).toBeNull();
    expect(verifyIntegrity(notStun, SHORT_TERM)).toBeNull();
  });

  it('reads ERROR-CODE values and CRC-32', () => {
    expect(readErrorCode(Uint8Array.of(0, 0, 4, 1, ...Buffer.from('Unauthorized')))).toEqual({ code: 401, reason: 'Unauthorized' });
    expect(readErrorCode(Uint8Array.of(0, 0, 4, 38))).toEqual({ code: 438, reason: '' });
    expect(readErrorCode(Uint8Array.of(0, 0, 9, 1))).toBeNull();
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the standard check value
  });
});

describe('doctor: TURN URLs', () => {
  it('reads host, port and transport, with the default ports', () => {
    expect(parseTurnUrl('turn:turn.example')).toEqual({ url: 'turn:turn.example', secure: false, host: 'turn.example', port: 3478, transport: null });
    expect(parseTurnUrl('turns:turn.example?transport=tcp')).toMatchObject({ secure: true, port: 5349, transport: 'tcp' });
    expect(parseTurnUrl('turn:[2001:db8::1]:3479?transport=udp')).toMatchObject({ host: '2001:db8::1', port: 3479, transport: 'udp' });
    expect(parseTurnUrl('stun:turn.example')).toBeNull();
    expect(parseTurnUrl('turn:turn.example:70000')).toBeNull();
  });

  it('picks the first plain turn: URL over UDP', () => {
    expect(firstUdpTurnUrl(['turns:a.example:5349', 'turn:b.example:3478?transport=tcp', 'turn:c.example:3478?transport=udp', 'turn:d.example'])?.host).toBe(
      'c.example',
    );
    expect(firstUdpTurnUrl(['turns:a.example', 'turn:d.example'])?.host).toBe('d.example');
    expect(firstUdpTurnUrl(['turns:a.example', 'turn:b.example?transport=tcp'])).toBeNull();
  });
});
