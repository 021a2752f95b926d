/**
 * What the doctor says about a server's certificate once TLS has accepted
 * it: whom it is for, who issued it and how long it has left. Let's Encrypt
 * certificates live 90 days and Caddy renews them 30 days ahead, so one with
 * less than {@link EXPIRY_WARN_DAYS} days left means renewal is failing.
 */
import type { PeerCertificate } from 'node:tls';

/** Fewer days left than this is worth a warning. */
export const EXPIRY_WARN_DAYS = 14;

const DAY_MS = 86_400_000;

export interface CertificateNote {
  /** `valid until 2027-01-31, issued by R11` (the date in UTC). */
  readonly text: string;
  /** True when it expires within {@link EXPIRY_WARN_DAYS} days. */
  readonly expiresSoon: boolean;
}

/** The issuer's common name or organisation, as a person knows it. */
function issuerName(cert: PeerCertificate): string {
  // Typed as strings; a name with several values arrives as an array, shown by its first.
  const pick = (v: unknown): string | undefined => (Array.isArray(v) ? pick(v[0]) : typeof v === 'string' && v !== '' ? v : undefined);
  return pick(cert.issuer?.CN) ?? pick(cert.issuer?.O) ?? 'an unnamed issuer';
}

/** A note on a certificate TLS accepted, or null when the server showed none. */
export function certificateNote(cert: PeerCertificate | null | undefined, nowMs: number): CertificateNote | null {
  if (!cert || !cert.valid_to) return null;
  const validTo = new Date(cert.valid_to);
  if (Number.isNaN(validTo.getTime())) return null;
  const daysLeft = (validTo.getTime() - nowMs) / DAY_MS;
  const date = validTo.toISOString().slice(0, 10);
  const left = daysLeft < 2 ? `${Math.max(0, Math.round(daysLeft * 24))} h` : `${Math.floor(daysLeft)} days`;
  const expiresSoon = daysLeft < EXPIRY_WARN_DAYS;
  const text = `certificate valid until ${date} (${left} left), issued by ${issuerName(cert)}`;
  return {
    text: expiresSoon ? `${text}: renew it soon (an automatic renewal should have happened by now)` : text,
    expiresSoon,
  };
}
