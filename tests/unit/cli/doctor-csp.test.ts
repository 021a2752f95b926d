/**
 * `medchain doctor`'s reading of Content-Security-Policy (header and
 * `<meta>`), of which connect-src sources are relays to dial, and of
 * certificates' remaining life.
 */
import type { PeerCertificate } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { certificateNote } from '../../../src/cli/doctor/certificate';
import { directive, metaPolicies, parsePolicies, parsePolicy, sameSources } from '../../../src/cli/doctor/csp';
import { classifySource } from '../../../src/cli/doctor/relay-sources';
import { contentSecurityPolicy } from '../../../scripts/csp.mjs';

describe('doctor: CSP parsing', () => {
  it('reads directives case-insensitively, sources as written, the first of a repeated directive', () => {
    const p = parsePolicy("  Default-Src 'self' ;connect-src 'self'   wss://relay.example\t; ; connect-src *; frame-ancestors 'none'");
    expect([...p.keys()]).toEqual(['default-src', 'connect-src', 'frame-ancestors']);
    expect(p.get('connect-src')).toEqual(["'self'", 'wss://relay.example']);
    expect(p.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('reads several policies in one header and finds a directive in the first that has it', () => {
    const policies = parsePolicies("default-src 'self', connect-src 'self' wss://a.example; frame-ancestors 'none'");
    expect(policies).toHaveLength(2);
    expect(directive(policies, 'connect-src')).toEqual(["'self'", 'wss://a.example']);
    expect(directive(policies, 'script-src')).toBeNull();
  });

  it('reads the policy medchain serve sends', () => {
    const policies = parsePolicies(contentSecurityPolicy([], ["'self'", 'wss://relay1.hospital.example']));
    expect(directive(policies, 'connect-src')).toEqual(["'self'", 'wss://relay1.hospital.example']);
    expect(directive(policies, 'frame-ancestors')).toEqual(["'none'"]);
  });

  it('finds <meta http-equiv> policies whatever the attribute order, quoting or entities', () => {
    const html = `<!doctype html><html><head>
      <meta charset="utf-8"><meta name="viewport" content="width=device-width">
      <META CONTENT='connect-src &#39;self&#39; wss://a.example; img-src data:' HTTP-EQUIV=Content-Security-Policy>
      <meta http-equiv="content-security-policy" content="frame-ancestors &apos;none&apos;">
    </head></html>`;
    const policies = metaPolicies(html);
    expect(policies).toHaveLength(2);
    expect(directive(policies, 'connect-src')).toEqual(["'self'", 'wss://a.example']);
    expect(directive(policies, 'frame-ancestors')).toEqual(["'none'"]);
    expect(metaPolicies('<meta name="description" content="connect-src *">')).toEqual([]);
  });

  it('compares source lists as sets, keywords and hosts case-insensitively', () => {
    expect(sameSources(["'self'", 'wss://a.example'], ['wss://A.example', "'SELF'"])).toBe(true);
    expect(sameSources(["'self'", 'wss://a.example'], ["'self'", 'wss://a.example', 'wss://b.example'])).toBe(false);
    expect(sameSources(["'self'", 'wss://a.example:8443'], ["'self'", 'wss://a.example'])).toBe(false);
  });
});

describe('doctor: connect-src sources', () => {
  it('dials relays, skips the page itself and loopback wildcards, warns about the rest', () => {
    expect(classifySource("'self'")).toEqual({ kind: 'self' });
    expect(classifySource('ws://127.0.0.1:*')).toEqual({ kind: 'loopback-wildcard' });
    expect(classifySource('ws://localhost:*')).toEqual({ kind: 'loopback-wildcard' });
    expect(classifySource('wss://relay1.hospital.example')).toEqual({ kind: 'relay', url: 'wss://relay1.hospital.example', secure: true, loopback: false });
    expect(classifySource('ws://127.0.0.1:4444')).toEqual({ kind: 'relay', url: 'ws://127.0.0.1:4444', secure: false, loopback: true });
    expect(classifySource('ws://relay.example')).toMatchObject({ kind: 'relay', secure: false, loopback: false });
    expect(classifySource('wss://*.example')).toMatchObject({ kind: 'other', reason: expect.stringContaining('wildcard') });
    expect(classifySource('wss://relay.example:*')).toMatchObject({ kind: 'other', reason: expect.stringContaining('wildcard') });
    expect(classifySource('wss:')).toMatchObject({ kind: 'other', reason: expect.stringContaining('every relay host') });
    expect(classifySource('https://api.example')).toMatchObject({ kind: 'other', reason: expect.stringContaining('not a relay') });
  });
});

describe('doctor: certificates', () => {
  const now = Date.parse('2027-01-01T00:00:00Z');
  const cert = (validTo: string) => ({ valid_to: validTo, issuer: { CN: 'R11', O: "Let's Encrypt" } }) as unknown as PeerCertificate;

  it('notes the expiry date and issuer, and warns under 14 days', () => {
    expect(certificateNote(cert('Mar 31 00:00:00 2027 GMT'), now)).toEqual({
      text: 'certificate valid until 2027-03-31 (89 days left), issued by R11',
      expiresSoon: false,
    });
    const soon = certificateNote(cert('Jan 10 00:00:00 2027 GMT'), now)!;
    expect(soon.expiresSoon).toBe(true);
    expect(soon.text).toMatch(/^certificate valid until 2027-01-10 \(9 days left\), issued by R11: renew it soon/);
    expect(certificateNote(cert('Jan  1 12:00:00 2027 GMT'), now)?.text).toContain('(12 h left)');
    expect(certificateNote(null, now)).toBeNull();
  });
});
