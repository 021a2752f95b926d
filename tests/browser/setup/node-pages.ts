/**
 * Node tabs for browser tests of the node runtime: each node is the `node`
 * harness page in its own browser context, booted on a fresh test network
 * through the real relay; plus the checks those tests share (every write
 * final on every node, one final tip) and a reading of a tab's memory.
 * Kept apart from the specs so attack and runtime tests boot nodes alike.
 */
import { expect, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import type { BootArgs } from '../harness/node';
import { harnessOf, openHarness } from './fixtures';

export type Status = {
  nodeId: string | null;
  role: string;
  height: number;
  tipHash: string;
  finalHeight: number;
  peers: number;
  pending: number;
  mining: boolean;
};
export type Ban = { peer: string; fault: string | null };
export type NodeHarness = {
  boot(a: BootArgs): Promise<void>;
  write(seed: string): Promise<{ key: string; status: string }>;
  txState(key: string): 'final' | 'chain' | 'pending' | 'none';
  status(): Status;
  verify(): Promise<{ ok: boolean; height: number; error?: string }>;
  bans(): Ban[];
  errors(): number;
  reassembly(): { held: number; reserved: number; discarded: number; budget: number };
  agreement(): unknown;
};

export interface PageNode {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly call: ReturnType<typeof harnessOf<NodeHarness>>;
  status(): Promise<Status>;
}

export interface Net {
  readonly networkId: string;
  readonly t0: number;
  readonly validators: number;
}

let seq = 0;
/** A fresh network: its id, its founding time and the number of hospitals. */
export function network(prefix: string, validators: number): Net {
  return { networkId: `${prefix}-${++seq}-${Date.now()}`, t0: Math.floor(Date.now() / 1000) - 100, validators };
}

/** Boots a node in a new browser context: hospital `validator`, or a plain node (null). */
export async function bootNode(browser: Browser, relayUrl: string, net: Net, validator: number | null): Promise<PageNode> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openHarness(page, 'node');
  const call = harnessOf<NodeHarness>(page);
  await call('boot', { relayUrl, ...net, validator });
  return { context, page, call, status: () => call('status') };
}

export function hospitals(browser: Browser, relayUrl: string, net: Net): Promise<PageNode[]> {
  return Promise.all(Array.from({ length: net.validators }, (_, i) => bootNode(browser, relayUrl, net, i)));
}

/** Waits until every key is final on every node; the failure shows each node's status and agreement. */
export async function allFinal(nodes: readonly PageNode[], keys: readonly string[], timeout = 30_000): Promise<void> {
  const states = () => Promise.all(nodes.flatMap((n) => keys.map((k) => n.call('txState', k))));
  try {
    await expect.poll(async () => (await states()).every((s) => s === 'final'), { timeout, intervals: [50] }).toBe(true);
  } catch (e) {
    const detail = await Promise.all(nodes.map(async (n) => ({ status: await n.status(), agreement: await n.call('agreement') })));
    throw new Error(`not final everywhere: ${(await states()).join(',')}; ${JSON.stringify(detail)}`, { cause: e });
  }
}

/** Waits until every node shows the same tip, height and final height. */
export async function sameFinalTip(nodes: readonly PageNode[]): Promise<Status[]> {
  const tips = async () => (await Promise.all(nodes.map((n) => n.status()))).map((s) => `${s.tipHash.slice(0, 12)}/${s.height}/${s.finalHeight}`);
  try {
    await expect.poll(async () => new Set(await tips()).size, { timeout: 20_000 }).toBe(1);
  } catch (e) {
    throw new Error(`nodes disagree (tip/height/final): ${(await tips()).join(' ')}`, { cause: e });
  }
  return Promise.all(nodes.map((n) => n.status()));
}

/** Writes `n` transactions on `writer` one after another; returns each one's time from write to final on every node. */
export async function confirmWrites(nodes: readonly PageNode[], writer: PageNode, prefix: string, n: number): Promise<{ keys: string[]; ms: number[] }> {
  const keys: string[] = [];
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = Date.now();
    const w = await writer.call('write', `${prefix}/${i}`);
    expect(w.status).toBe('added');
    await allFinal(nodes, [w.key]);
    ms.push(Date.now() - t);
    keys.push(w.key);
  }
  return { keys, ms };
}

export async function closeAll(nodes: readonly PageNode[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.context.close()));
}

const MB = 1024 * 1024;

/**
 * A tab's memory as V8 counts it: the JS heap in use plus the backing
 * stores of its ArrayBuffers (where received chunks live; `usedJSHeapSize`
 * alone would not show them), in MB, read over CDP.
 */
export class HeapWatch {
  private peakBytes = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private reading: Promise<void> = Promise.resolve();

  private constructor(
    private readonly cdp: CDPSession,
    /** After a forced garbage collection, before the run. */
    readonly beforeMb: number,
  ) {}

  /** Collects garbage, reads the tab's memory, then samples it every `everyMs` until {@link stop}. */
  static async start(node: PageNode, everyMs = 100): Promise<HeapWatch> {
    const cdp = await node.context.newCDPSession(node.page);
    await cdp.send('HeapProfiler.collectGarbage');
    const w = new HeapWatch(cdp, (await heapBytes(cdp)) / MB);
    w.peakBytes = w.beforeMb * MB;
    w.timer = setInterval(() => {
      w.reading = w.reading.then(async () => {
        w.peakBytes = Math.max(w.peakBytes, await heapBytes(cdp).catch(() => 0));
      });
    }, everyMs);
    return w;
  }

  /** Stops sampling; the most memory seen (MB). */
  async stop(): Promise<{ beforeMb: number; peakMb: number }> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.reading;
    this.peakBytes = Math.max(this.peakBytes, await heapBytes(this.cdp).catch(() => 0));
    await this.cdp.detach().catch(() => undefined);
    return { beforeMb: round(this.beforeMb), peakMb: round(this.peakBytes / MB) };
  }
}

async function heapBytes(cdp: CDPSession): Promise<number> {
  const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  return u.usedSize + (u.backingStorageSize ?? 0);
}

const round = (x: number) => Math.round(x * 10) / 10;
