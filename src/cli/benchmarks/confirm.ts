/**
 * The confirm figure (issue 7, SPEC §9): five tabs — five browser contexts,
 * each its own full node — on a network with the default parameters, three
 * of them hospitals that validate and mine. Thirty patient registrations are
 * submitted one after another, on each tab in turn; a record's latency runs
 * from just before `submitTx` on its tab to the moment the last of the five
 * tabs sees it final. Goal: p95 within the block spacing plus 1 s.
 */
import { DEFAULT_PARAMS } from '../../lib/core/params';
import type { BenchPage } from '../../bench/session';
import type { BenchContext } from './context';
import type { Figure } from './results';
import { percentile } from './stats';

const TABS = 5;
const VALIDATORS = 3;
const RECORDS = 30;
const MESH_LIMIT_MS = 60_000;
const FINAL_LIMIT_MS = 60_000;

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

async function meshUp(tabs: readonly BenchPage[]): Promise<boolean> {
  const until = performance.now() + MESH_LIMIT_MS;
  while (performance.now() < until) {
    const peers = await Promise.all(tabs.map((t) => t.call<number>('peers')));
    if (peers.every((p) => p >= TABS - 1)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

export async function confirm(ctx: BenchContext): Promise<Figure> {
  const relay = await ctx.relay();
  const browser = await ctx.browser();
  const networkId = `bench-confirm-${Date.now()}`;
  const t0 = Math.floor(Date.now() / 1000) - 60;
  const tabs = await Promise.all(Array.from({ length: TABS }, () => browser.open('bench-confirm')));
  try {
    await Promise.all(
      tabs.map((t, i) =>
        t.call('boot', { relayUrl: relay.url, networkId, validators: VALIDATORS, t0, validator: i < VALIDATORS ? i : null, mine: i < VALIDATORS }),
      ),
    );
    if (!(await meshUp(tabs))) return { status: 'failed', why: `the ${TABS} tabs did not all connect within ${MESH_LIMIT_MS / 1000} s` };
    const latencies: number[] = [];
    let lost = 0;
    for (let i = 0; i < RECORDS; i++) {
      const w = await tabs[i % TABS]!.call<{ key: string; at: number; status: string }>('submit', `bench-confirm/${networkId}/${i}`);
      if (w.status !== 'added') return { status: 'failed', why: `record ${i} was refused (${w.status})` };
      const finals = await Promise.all(tabs.map((t) => t.call<number | null>('finalAt', w.key, FINAL_LIMIT_MS)));
      if (finals.some((f) => f === null)) lost++;
      else latencies.push((Math.max(...(finals as number[])) - w.at) / 1000);
    }
    if (latencies.length === 0) return { status: 'failed', why: `no record became final on all ${TABS} tabs within ${FINAL_LIMIT_MS / 1000} s` };
    return {
      p95_seconds: round(percentile(latencies, 95), 3),
      goal_p95_seconds: DEFAULT_PARAMS.targetSpacing + 1,
      p50_seconds: round(percentile(latencies, 50), 3),
      max_seconds: round(Math.max(...latencies), 3),
      records: RECORDS,
      not_final_in_time: lost,
      tabs: TABS,
      validators: VALIDATORS,
      measured: 'submitTx on one tab to final (certificate) on all tabs, one record at a time, default network parameters',
    };
  } finally {
    await Promise.all(tabs.map(async (t) => (await t.call('stop').catch(() => null), await t.close())));
  }
}
