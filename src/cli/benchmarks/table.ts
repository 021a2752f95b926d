/**
 * The table `npm run bench` prints (issue 7): one row per figure — its
 * headline number, the goal beside it, whether the goal is met — and the
 * figure's other entries on an indented line below. Pure: results in, lines out.
 */
import { FIGURE_NAMES, type Figure, type FigureName, type FigureValue, type Results } from './results';

interface Headline {
  /** The measured number's key. */
  readonly key: string;
  /** The goal's key in the same figure. */
  readonly goal: string;
  readonly better: 'higher' | 'lower';
}

/** Which number of each figure is its headline, and which goal it is held against. */
export const HEADLINES: Readonly<Record<FigureName, Headline>> = {
  hashrate: { key: 'ratio', goal: 'goal_ratio', better: 'higher' },
  sync: { key: 'seconds', goal: 'goal_seconds', better: 'lower' },
  validate: { key: 'browser_blocks_per_second', goal: 'goal_blocks_per_second', better: 'higher' },
  confirm: { key: 'p95_seconds', goal: 'goal_p95_seconds', better: 'lower' },
  start: { key: 'seconds', goal: 'goal_seconds', better: 'lower' },
  login: { key: 'seconds', goal: 'goal_seconds', better: 'lower' },
  bundle: { key: 'gzip_kb', goal: 'goal_kb', better: 'lower' },
  memory: { key: 'heap_mb', goal: 'goal_mb', better: 'lower' },
};

/** A number for people: grouped thousands from 1,000 up, else at most three significant digits. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (n === 0) return '0';
  return String(Number(n.toPrecision(3)));
}

function show(v: FigureValue | undefined): string {
  if (v === undefined || v === null) return '-';
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

/** `meets` / `misses` against the goal, or the figure's status when it was not measured. */
export function verdict(name: FigureName, figure: Figure): string {
  if (typeof figure.status === 'string' && figure.status !== 'measured') return figure.status;
  const h = HEADLINES[name];
  const value = figure[h.key];
  const goal = figure[h.goal];
  if (typeof value !== 'number' || typeof goal !== 'number') return '?';
  return (h.better === 'higher' ? value >= goal : value <= goal) ? 'meets' : 'misses';
}

const pad = (s: string, n: number) => s.padEnd(n);

/** The table for `names` (all figures by default); a figure missing from `results` is shown as not run. */
export function formatTable(results: Results, names: readonly FigureName[] = FIGURE_NAMES): string[] {
  const rows = names.map((name) => {
    const figure = results[name];
    if (!figure) return { name, measured: '-', goal: '-', verdict: 'not run', details: '' };
    const h = HEADLINES[name];
    const sign = h.better === 'higher' ? '>=' : '<=';
    const detail = Object.entries(figure)
      .filter(([k]) => k !== h.key && k !== h.goal && k !== 'status')
      .map(([k, v]) => `${k}=${show(v)}`)
      .join('  ');
    return {
      name,
      measured: h.key in figure ? `${h.key}=${show(figure[h.key])}` : '-',
      goal: h.goal in figure ? `${sign} ${show(figure[h.goal])}` : '-',
      verdict: verdict(name, figure),
      details: detail,
    };
  });
  const w = {
    name: Math.max(6, ...rows.map((r) => r.name.length)),
    measured: Math.max(8, ...rows.map((r) => r.measured.length)),
    goal: Math.max(4, ...rows.map((r) => r.goal.length)),
  };
  const lines = [`${pad('figure', w.name)}  ${pad('measured', w.measured)}  ${pad('goal', w.goal)}  verdict`];
  for (const r of rows) {
    lines.push(`${pad(r.name, w.name)}  ${pad(r.measured, w.measured)}  ${pad(r.goal, w.goal)}  ${r.verdict}`);
    if (r.details) lines.push(`${' '.repeat(w.name + 2)}${r.details}`);
  }
  return lines;
}
