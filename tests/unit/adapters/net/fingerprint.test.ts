/** DTLS fingerprints pinned by signed SDPs, and the remote certificate's read from connection stats. */
import { describe, expect, it } from 'vitest';
import { sameFingerprint, sdpFingerprint, statsFingerprint } from '../../../../src/lib/adapters/net/fingerprint';

const HEX = Array.from({ length: 32 }, (_, i) => ((i * 9 + 16) & 0xff).toString(16).toUpperCase().padStart(2, '0')).join(':');
const OTHER = HEX.replace(/^../, '00');
const sdp = (...fps: string[]) =>
  [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    ...fps.map((f) => `a=fingerprint:${f}`),
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'a=setup:actpass',
    '',
  ].join('\r\n');

describe('sdpFingerprint', () => {
  it('reads the one SHA-256 fingerprint, normalised, at session or media level (repeated alike)', () => {
    expect(sdpFingerprint(sdp(`sha-256 ${HEX}`))).toEqual({ algorithm: 'sha-256', value: HEX });
    expect(sdpFingerprint(sdp(`SHA-256 ${HEX.toLowerCase()}`, `sha-256 ${HEX}`))).toEqual({ algorithm: 'sha-256', value: HEX });
    expect(sdpFingerprint(sdp(`sha-256 ${HEX}`).replace(/\r\n/g, '\n'))).not.toBeNull();
  });

  it('refuses an SDP with none, two different, another hash or a malformed value', () => {
    expect(sdpFingerprint(sdp())).toBeNull();
    expect(sdpFingerprint(sdp(`sha-256 ${HEX}`, `sha-256 ${OTHER}`))).toBeNull();
    expect(sdpFingerprint(sdp(`sha-1 ${HEX.slice(0, 59)}`))).toBeNull();
    expect(sdpFingerprint(sdp(`sha-256 ${HEX.slice(3)}`))).toBeNull();
    expect(sdpFingerprint(sdp(`sha-256 ${HEX}:AA`))).toBeNull();
    expect(sdpFingerprint(sdp(`sha-256 ${HEX.replace(/:/g, '')}`))).toBeNull();
    expect(sdpFingerprint(sdp(`sha-256`))).toBeNull();
  });

  it('compares algorithm and value', () => {
    const a = sdpFingerprint(sdp(`sha-256 ${HEX}`))!;
    expect(sameFingerprint(a, { algorithm: 'sha-256', value: HEX })).toBe(true);
    expect(sameFingerprint(a, { algorithm: 'sha-256', value: OTHER })).toBe(false);
    expect(sameFingerprint(a, { algorithm: 'sha-512', value: HEX })).toBe(false);
  });
});

describe('statsFingerprint', () => {
  const report = (cert: Record<string, unknown>) =>
    new Map<string, Record<string, unknown>>([
      ['T1', { type: 'transport', localCertificateId: 'C1', remoteCertificateId: 'C2' }],
      ['C1', { type: 'certificate', fingerprint: OTHER, fingerprintAlgorithm: 'sha-256' }],
      ['C2', { type: 'certificate', ...cert }],
    ]);

  it('reads the remote certificate, not the local one', () => {
    expect(statsFingerprint(report({ fingerprint: HEX.toLowerCase(), fingerprintAlgorithm: 'sha-256' }))).toEqual({ algorithm: 'sha-256', value: HEX });
  });

  it('null when the connection has no remote certificate yet or the entry is not a SHA-256 fingerprint', () => {
    expect(statsFingerprint(new Map([['T1', { type: 'transport' }]]))).toBeNull();
    expect(statsFingerprint(report({}))).toBeNull();
    expect(statsFingerprint(report({ fingerprint: HEX, fingerprintAlgorithm: 'sha-1' }))).toBeNull();
  });
});
