/** Which address a relay client counts under (address.ts): pure, so every spelling is checked without sockets. */
import { describe, expect, it } from 'vitest';
import { UNKNOWN_ADDRESS, addressKey, clientAddress, isLoopback, normaliseAddress } from '../../../src/relay/address';

describe('normaliseAddress', () => {
  it('reads an IPv4-mapped IPv6 address, in any spelling, as its IPv4 address', () => {
    for (const mapped of ['::ffff:1.2.3.4', '::FFFF:1.2.3.4', '::ffff:102:304', '0:0:0:0:0:ffff:0102:0304', '0:0::ffff:1.2.3.4']) {
      expect(normaliseAddress(mapped)).toBe('1.2.3.4');
    }
    expect(normaliseAddress('1.2.3.4')).toBe('1.2.3.4');
    expect(normaliseAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('spells other IPv6 addresses one way (full groups, lower case, no zone) and refuses what is not an address', () => {
    expect(normaliseAddress('2001:DB8::1')).toBe('2001:db8:0:0:0:0:0:1');
    expect(normaliseAddress('2001:db8:0:0:0:0:0:1')).toBe('2001:db8:0:0:0:0:0:1');
    expect(normaliseAddress('fe80::1%eth0')).toBe('fe80:0:0:0:0:0:0:1');
    expect(normaliseAddress('::1')).toBe('0:0:0:0:0:0:0:1');
    expect(normaliseAddress('::')).toBe('0:0:0:0:0:0:0:0');
    expect(normaliseAddress('::1.2.3.4')).toBe('0:0:0:0:0:0:102:304'); // IPv4-compatible, not mapped
    expect(normaliseAddress('::fffe:1.2.3.4')).toBe('0:0:0:0:0:fffe:102:304');
    for (const bad of ['', 'unknown', '1.2.3', '256.1.1.1', '1.2.3.4.5', '::ffff:1.2.3.4.5', 'g::1', '[::1]', '1.2.3.4:80']) {
      expect(normaliseAddress(bad)).toBeNull();
    }
  });
});

describe('addressKey', () => {
  it('counts IPv4 by address and IPv6 by /64, so one host cannot double its share by spelling', () => {
    expect(addressKey(normaliseAddress('::ffff:1.2.3.4')!)).toBe(addressKey(normaliseAddress('1.2.3.4')!));
    expect(addressKey('1.2.3.4')).not.toBe(addressKey('1.2.3.5'));
    const v6 = (ip: string) => addressKey(normaliseAddress(ip)!);
    expect(v6('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(v6('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe(v6('2001:db8:1:2::1'));
    expect(v6('2001:db8:1:3::1')).not.toBe(v6('2001:db8:1:2::1'));
  });
});

describe('isLoopback', () => {
  it('is 127.0.0.0/8 and ::1 only', () => {
    expect(['127.0.0.1', '127.0.0.2', '127.255.0.9', '0:0:0:0:0:0:0:1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', '128.0.0.1', '0:0:0:0:0:0:0:2', '1.127.0.0'].some(isLoopback)).toBe(false);
  });
});

describe('clientAddress', () => {
  it('is the TCP peer, mapped addresses as IPv4, when the proxy is not trusted', () => {
    expect(clientAddress('::ffff:203.0.113.5', undefined, false)).toBe('203.0.113.5');
    expect(clientAddress('127.0.0.1', '198.51.100.1', false)).toBe('127.0.0.1');
    expect(clientAddress(undefined, '198.51.100.1', true)).toBe(UNKNOWN_ADDRESS);
  });

  it('with trustProxy, is the last X-Forwarded-For entry, and only when the peer is loopback', () => {
    expect(clientAddress('127.0.0.1', '10.9.9.9, 198.51.100.1', true)).toBe('198.51.100.1');
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.1', true)).toBe('198.51.100.1');
    expect(clientAddress('::1', ' ::ffff:198.51.100.1 ', true)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', ['10.9.9.9', '198.51.100.2'], true)).toBe('198.51.100.2');
    expect(clientAddress('127.0.0.1', '198.51.100.1:51234', true)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', '[2001:db8::7]:443', true)).toBe('2001:db8:0:0:0:0:0:7');
    // A client reaching the relay directly cannot choose what it counts under.
    expect(clientAddress('203.0.113.5', '198.51.100.1', true)).toBe('203.0.113.5');
    // A trusted proxy that sent nothing readable: the client counts as the proxy.
    expect(clientAddress('127.0.0.1', '198.51.100.1, unknown', true)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '', true)).toBe('127.0.0.1');
  });
});
