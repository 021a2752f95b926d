/**
 * Compares a language's catalogue with the English one, key by key: the
 * problems found, one line each (`path: what`), empty when they agree.
 * A message that is a function is called with probe arguments (distinct
 * numbers, or strings if numbers throw), and each language must show the
 * same probes: a placeholder dropped or added in one language is named.
 */

const DEVANAGARI = /[\u0900-\u097F]/;
const PROBE_BASE = 701;

type Node = unknown;

function probes(arity: number, asString: boolean): unknown[] {
  return Array.from({ length: arity }, (_, i) => (asString ? `‹${PROBE_BASE + i}›` : PROBE_BASE + i));
}

function call(f: (...args: unknown[]) => unknown, args: unknown[]): string | null {
  try {
    const out = f(...args);
    return typeof out === 'string' ? out : null;
  } catch {
    return null; // the caller retries with string probes, then reports the message
  }
}

/** Which probe arguments a message shows (by position). */
function shown(text: string, arity: number): number[] {
  return Array.from({ length: arity }, (_, i) => i).filter((i) => text.includes(String(PROBE_BASE + i)));
}

function render(f: (...args: unknown[]) => unknown): { text: string; asString: boolean } | null {
  for (const asString of [false, true]) {
    const text = call(f, probes(f.length, asString));
    if (text !== null) return { text, asString };
  }
  return null;
}

/**
 * Messages that are rightly the same in every script: units and technical
 * names people read in Latin letters whatever the language.
 */
const LATIN_EVERYWHERE = new Set(['upload.kb']);

function compareText(path: string, text: string, problems: string[]): void {
  if (text.trim() === '') problems.push(`${path}: empty`);
  else if (!DEVANAGARI.test(text) && !LATIN_EVERYWHERE.has(path)) problems.push(`${path}: no Devanagari`);
}

function compareFunctions(path: string, en: (...a: unknown[]) => unknown, other: (...a: unknown[]) => unknown, problems: string[]): void {
  if (en.length !== other.length) {
    problems.push(`${path}: arguments ${en.length} ≠ ${other.length}`);
    return;
  }
  const a = render(en);
  const b = render(other);
  if (!a || !b) {
    problems.push(`${path}: does not give text for probe arguments`);
    return;
  }
  compareText(path, b.text, problems);
  const inEn = shown(a.text, en.length);
  const inOther = shown(b.text, other.length);
  if (inEn.join() !== inOther.join()) problems.push(`${path}: shows arguments [${inEn}] in English but [${inOther}] here`);
}

function walk(path: string, en: Node, other: Node, problems: string[]): void {
  if (typeof en === 'function' || typeof other === 'function') {
    if (typeof en !== 'function' || typeof other !== 'function') problems.push(`${path}: a function in one language only`);
    else compareFunctions(path, en as (...a: unknown[]) => unknown, other as (...a: unknown[]) => unknown, problems);
    return;
  }
  if (typeof en === 'string' || typeof other === 'string') {
    if (typeof en !== 'string' || typeof other !== 'string') problems.push(`${path}: text in one language only`);
    else compareText(path, other, problems);
    return;
  }
  if (typeof en !== 'object' || en === null || typeof other !== 'object' || other === null) {
    problems.push(`${path}: not a message`);
    return;
  }
  const enKeys = Object.keys(en);
  const otherKeys = Object.keys(other);
  for (const key of enKeys) {
    const sub = path ? `${path}.${key}` : key;
    if (!(key in other)) problems.push(`${sub}: missing`);
    else walk(sub, (en as Record<string, Node>)[key], (other as Record<string, Node>)[key], problems);
  }
  for (const key of otherKeys) if (!(key in en)) problems.push(`${path ? `${path}.${key}` : key}: not in English`);
}

/** The problems of `other` against the English catalogue `en` (empty when complete). */
export function compareCatalogues(en: object, other: object): string[] {
  const problems: string[] = [];
  walk('', en, other, problems);
  return problems;
}
