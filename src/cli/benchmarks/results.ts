/**
 * bench/results.json (SPEC §9, issue 7): one object per figure, keyed by the
 * figure's name, every number's unit in its key (`ratio`, `seconds`,
 * `per_second`, `kb`, `mb`), each figure beside its goal or limit measured in
 * the same run. `--only NAME` replaces that one entry and keeps the others.
 */

/** The figures, in the order the table prints them. */
export const FIGURE_NAMES = ['hashrate', 'sync', 'validate', 'confirm', 'start', 'login', 'bundle', 'memory'] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

export type FigureValue = number | string | boolean | null;
/** One figure's entry: measured numbers, goals, notes; or `status: 'not-measured'` with `why`. */
export type Figure = Readonly<Record<string, FigureValue>>;
export type Results = Partial<Record<FigureName, Figure>>;

export function isFigureName(name: string): name is FigureName {
  return (FIGURE_NAMES as readonly string[]).includes(name);
}

/** An honest gap: the figure was not measured, and why (never a made-up number). */
export function notMeasured(why: string): Figure {
  return { status: 'not-measured', why };
}

/** A figure whose run failed: the error, never a number. */
export function failed(why: string): Figure {
  return { status: 'failed', why };
}

function isFigure(v: unknown): v is Figure {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.values(v).every((x) => x === null || ['number', 'string', 'boolean'].includes(typeof x));
}

/**
 * Reads a previous results file's text (null when there is none). Entries
 * that are not figures of this bench (old names, damaged values) are
 * dropped, so the file always holds exactly the figures named above.
 */
export function parseResults(text: string | null): Results {
  if (text === null) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return {};
  const out: Results = {};
  for (const [name, figure] of Object.entries(json)) if (isFigureName(name) && isFigure(figure)) out[name] = figure;
  return out;
}

/** The previous results with the figures of this run put in their place, in table order. */
export function mergeResults(previous: Results, run: Results): Results {
  const out: Results = {};
  for (const name of FIGURE_NAMES) {
    const figure = run[name] ?? previous[name];
    if (figure) out[name] = figure;
  }
  return out;
}

/** The file's text: pretty JSON and a final newline. */
export function serializeResults(results: Results): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}
