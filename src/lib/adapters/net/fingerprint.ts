/**
 * DTLS fingerprints (SPEC §6: offers and answers are signed so that a relay
 * cannot swap DTLS fingerprints and sit in the middle). The signature of the
 * envelope covers the SDP; these checks make sure the SDP really pins one
 * certificate, and that the certificate the data channel was built on is
 * that one: {@link sdpFingerprint} reads the pinned fingerprint of a signed
 * SDP (refusing none, several different or a malformed one), and
 * {@link statsFingerprint} reads the remote certificate's from the
 * connection's statistics once it is up. Untrusted text: null, never a throw.
 */

export interface Fingerprint {
  /** Hash function, lowercase (only `sha-256` is accepted). */
  readonly algorithm: string;
  /** Uppercase hex pairs joined by colons. */
  readonly value: string;
}

const LINE = /^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/;
const SHA256 = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;

function normalise(algorithm: string, value: string): Fingerprint | null {
  const f = { algorithm: algorithm.toLowerCase(), value: value.toUpperCase() };
  return f.algorithm === 'sha-256' && SHA256.test(f.value) ? f : null;
}

/** The one SHA-256 fingerprint an SDP pins, or null (none, a malformed one, or two that differ). */
export function sdpFingerprint(sdp: string): Fingerprint | null {
  let found: Fingerprint | null = null;
  for (const line of sdp.split(/\r?\n/)) {
    if (!line.startsWith('a=fingerprint:')) continue;
    const m = LINE.exec(line);
    const f = m ? normalise(m[1]!, m[2]!) : null;
    if (!f || (found && found.value !== f.value)) return null;
    found = f;
  }
  return found;
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.algorithm === b.algorithm && a.value === b.value;
}

/** The part of an `RTCStatsReport` read here (a Map of stats objects by id). */
export type StatsLike = ReadonlyMap<string, Record<string, unknown>>;

/** The remote certificate's fingerprint from a connected peer connection's stats, or null. */
export function statsFingerprint(report: StatsLike): Fingerprint | null {
  for (const s of report.values()) {
    if (s.type !== 'transport' || typeof s.remoteCertificateId !== 'string') continue;
    const cert = report.get(s.remoteCertificateId);
    if (cert && typeof cert.fingerprint === 'string' && typeof cert.fingerprintAlgorithm === 'string')
      return normalise(cert.fingerprintAlgorithm, cert.fingerprint);
  }
  return null;
}
