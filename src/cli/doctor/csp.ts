/**
 * Content-Security-Policy as the doctor reads it (CSP Level 3 §2.2): the
 * header's policies and the `<meta http-equiv>` policy in index.html. The
 * browser enforces both, so a page whose two `connect-src` lists differ can
 * reach only the relays both allow — a build made for other relays than the
 * server says is the classic way a deployment breaks after a change.
 */

/** Directive names (lower case) to their sources, as written; the first of a repeated directive wins. */
export type Policy = ReadonlyMap<string, readonly string[]>;

/** One serialized policy (`default-src 'self'; connect-src …`). */
export function parsePolicy(text: string): Policy {
  const policy = new Map<string, string[]>();
  for (const part of text.split(';')) {
    const tokens = part
      .trim()
      .split(/[\t\n\f\r ]+/)
      .filter((t) => t !== '');
    const name = tokens[0]?.toLowerCase();
    if (name === undefined || policy.has(name)) continue;
    policy.set(name, tokens.slice(1));
  }
  return policy;
}

/** A header value, which may hold several policies separated by commas (repeated headers are joined so). */
export function parsePolicies(header: string): Policy[] {
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map(parsePolicy);
}

/** The sources of `directive` in the first of `policies` that has it, or null. */
export function directive(policies: readonly Policy[], name: string): readonly string[] | null {
  for (const p of policies) {
    const sources = p.get(name);
    if (sources) return sources;
  }
  return null;
}

/** Do two source lists allow the same sources? (Order aside; keywords, schemes and hosts are case-insensitive, and relays have no paths.) */
export function sameSources(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a.map((s) => s.toLowerCase()));
  const y = new Set(b.map((s) => s.toLowerCase()));
  return x.size === y.size && [...x].every((s) => y.has(s));
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

/** Decodes the character references an attribute value may hold. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isSafeInteger(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** The attributes of one start tag's text (after its name), names in lower case. */
function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const m of tag.matchAll(re)) {
    const name = m[1]!.toLowerCase();
    if (!out.has(name)) out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

/** The policies of every `<meta http-equiv="Content-Security-Policy" content="…">` in an HTML page. */
export function metaPolicies(html: string): Policy[] {
  const out: Policy[] = [];
  for (const m of html.matchAll(/<meta\b([^>]*)>/gi)) {
    const attrs = attributes(m[1] ?? '');
    if (attrs.get('http-equiv')?.trim().toLowerCase() !== 'content-security-policy') continue;
    const content = attrs.get('content');
    if (content !== undefined) out.push(parsePolicy(content));
  }
  return out;
}
