/**
 * Harness page for the bench's node figures (issue 7, SPEC §9): a node of
 * the demo chain's network booted with `bootNode`, as the app boots it, in
 * this page's browser context (its own IndexedDB), over WebRTC through the
 * real relay. `seed` writes the 10,000-block demo chain into this context's
 * store as a node would have left it (setup, not measured); `boot` measures
 * a start; `storedHeight` reads the store's tip as a second tab would;
 * `primitives` measures the limits sync is held against.
 */
import { openDB } from 'idb';
import { initStore, blockRecord } from '../../lib/adapters/store/batch';
import { openIdbStore, storeName } from '../../lib/adapters/store/idb';
import { verifyWebCrypto } from '../../lib/adapters/webcrypto-ed25519';
import { blockHash, decodeBlock } from '../../lib/core/block';
import { hexToBytes } from '../../lib/core/bytes';
import { readChainFile } from '../../lib/core/chainfile';
import { DEFAULT_PARAMS } from '../../lib/core/params';
import { encodeSnapshot } from '../../lib/core/snapshot';
import { signingNetwork, txId, txSigningMessage } from '../../lib/core/tx';
import { verifyChainFile } from '../../lib/core/verify-chain';
import { type BootedNode, bootNode } from '../../lib/node/boot';
import { expose } from '../expose';

// The start figure's breakdown begins here: every import above has been fetched, parsed and run.
performance.mark('medchain:harness:module');

const seconds = (from: number) => (performance.now() - from) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DB = storeName(DEFAULT_PARAMS.id);
/** Blocks above the final one in the seeded store (replayed on start). */
const SEED_ABOVE_FINAL = 3;

async function chainBytes(): Promise<Uint8Array> {
  const r = await fetch('/bench-chain.bin');
  if (!r.ok) throw new Error(`bench chain: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** Writes the demo chain into this context's store: genesis, then every block in batches of 500, tip last. */
async function seed() {
  const report = verifyChainFile(await chainBytes(), Math.floor(Date.now() / 1000), { verifier: { verify: () => true } });
  if (!report.ok) throw new Error(`the demo chain did not load: ${report.kind}`);
  const chain = report.chain;
  const store = await openIdbStore(DB);
  if (!(await initStore(store, chain))) throw new Error('the store belongs to another network');
  for (let from = 1; from <= chain.height; from += 500) {
    const blocks = [];
    for (let h = from; h < Math.min(from + 500, chain.height + 1); h++) blocks.push(blockRecord(chain, chain.atHeight(h)!));
    const last = chain.atHeight(from + blocks.length - 1)!;
    await store.commit({ blocks, tip: { key: last.key, height: last.height } });
  }
  // As a node of a validator network leaves it (issue 7): a final block a few below the tip (the demo chain
  // carries no commit certificates, so the seed names it), its marker, then the snapshot of the state there.
  chain.markFinal(chain.atHeight(chain.height - SEED_ABOVE_FINAL)!.key);
  const final = { key: chain.finalized.key, height: chain.finalized.height };
  await store.commit({ final });
  await store.putSnapshot({ final, bytes: encodeSnapshot(chain.snapshot()) });
  store.close();
  return { height: chain.height, final: final.height };
}

let booted: BootedNode | null = null;

/** Where `armStart` leaves the next page's start: that page boots as soon as its script runs, as the app does. */
const ARMED = 'bench-node/start';
type BootArgs = Parameters<typeof boot>;

/** Makes the next bench-node page of this context boot on load (the start figure: no round trip from the bench first). */
function armStart(...args: BootArgs): void {
  localStorage.setItem(ARMED, JSON.stringify(args));
}

/** The boot this page began on load, if `armStart` asked for one. */
const started = (() => {
  const armed = localStorage.getItem(ARMED);
  if (armed === null) return null;
  localStorage.removeItem(ARMED);
  return boot(...(JSON.parse(armed) as BootArgs));
})();

/**
 * Boots the node and waits until `status()` reports `height`; the seconds
 * are from this call, and from the page's navigation start (a cold start:
 * the page's scripts load too); `lastRiseSeconds` is when the height last
 * grew, and the wait ends early once it has not grown for `stallMs`. Spans
 * on the way (seconds from this call): the node running (`startedSeconds`),
 * a peer's hello (`peerSeconds`), the first block past the start height
 * (`firstBlockSeconds`).
 */
async function boot(relayUrl: string, genesisHex: string, height: number, timeoutMs: number, stallMs = timeoutMs) {
  const start = performance.now();
  booted = await bootNode({ params: DEFAULT_PARAMS, genesis: decodeBlock(hexToBytes(genesisHex)), relayUrls: [relayUrl], mine: false });
  await booted.leading;
  const startedSeconds = seconds(start);
  let seen = booted.status().height;
  const from = seen;
  let rose = performance.now();
  let peerSeconds: number | null = null;
  let firstBlockSeconds: number | null = null;
  while (seen < height && performance.now() - start <= timeoutMs && performance.now() - rose <= stallMs) {
    await sleep(10);
    const s = booted.status();
    if (peerSeconds === null && s.peers > 0) peerSeconds = seconds(start);
    if (firstBlockSeconds === null && s.height > from) firstBlockSeconds = seconds(start);
    if (s.height > seen) [seen, rose] = [s.height, performance.now()];
  }
  const at = performance.now();
  return {
    height: seen,
    seconds: (at - start) / 1000,
    sinceNavigation: at / 1000,
    lastRiseSeconds: (rose - start) / 1000,
    startedSeconds,
    peerSeconds,
    firstBlockSeconds,
    spans: spans(at),
  };
}

/**
 * Where the time to `until` went (ms since navigation, for the bench to
 * print): the page's own load (navigation and script timing), then the
 * start path's marks (`medchain:*`, the first of each name), in order.
 */
function spans(until: number): string {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const points: [string, number][] = [];
  if (nav) points.push(['html', nav.responseEnd], ['dom-interactive', nav.domInteractive]);
  for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[])
    if (r.name.endsWith('.js')) points.push([`script ${r.name.split('/').pop()} ${Math.round(r.transferSize / 1024)} KB`, r.responseEnd]);
  const seen = new Set<string>();
  for (const m of performance.getEntriesByType('mark'))
    if (m.name.startsWith('medchain:') && m.startTime <= until && !seen.has(m.name)) {
      seen.add(m.name);
      points.push([m.name.slice(9), m.startTime]);
    }
  points.push(['status at height', until]);
  points.sort((a, b) => a[1] - b[1]);
  return points.map(([name, t], i) => `${name} ${Math.round(t)} (+${Math.round(t - (points[i - 1]?.[1] ?? 0))})`).join(', ');
}

/** The tip height in this context's store, read as another tab would. */
async function storedHeight(): Promise<number> {
  const store = await openIdbStore(DB, { persist: false });
  const tip = await store.tip();
  store.close();
  return tip?.height ?? -1;
}

const status = () => booted?.status() ?? null;

/** Bans (with their faults) and frame errors of this node's mesh: why a sync stopped, when it does. */
function mesh() {
  const stats = booted?.node?.driver.stats;
  if (!stats) return null;
  return { bans: stats.bans.map((b) => b.fault ?? 'timeout'), errors: stats.errors, framesIn: stats.framesIn, framesOut: stats.framesOut };
}

/**
 * Limits measured in the same run: WebCrypto Ed25519 verifications per
 * second, `n` real signatures of the demo chain all in flight at once; and
 * IndexedDB puts per second, `n` block-sized records in one transaction.
 */
async function primitives(n: number) {
  const { blocks } = readChainFile(await chainBytes());
  const genesis = blockHash(blocks[0]!.block);
  const items = blocks
    .flatMap(({ block }) => {
      const network = signingNetwork(genesis, block.header.height);
      return block.txs.map((tx) => ({ signature: tx.signature, message: txSigningMessage(network, txId(tx)), publicKey: tx.author }));
    })
    .slice(0, n);
  const v0 = performance.now();
  const ok = await Promise.all(items.map((i) => verifyWebCrypto(i.signature, i.message, i.publicKey)));
  const verifySeconds = seconds(v0);
  if (!ok.every(Boolean)) throw new Error('a demo-chain signature failed WebCrypto');
  const db = await openDB('bench-puts', 1, { upgrade: (d) => d.createObjectStore('b') });
  const value = new Uint8Array(850);
  const p0 = performance.now();
  const tx = db.transaction('b', 'readwrite', { durability: 'strict' });
  for (let i = 0; i < n; i++) void tx.store.put(value, i);
  await tx.done;
  const putSeconds = seconds(p0);
  db.close();
  return { verifications: items.length, verifySeconds, puts: n, putSeconds };
}

expose({ seed, armStart, boot: (...args: BootArgs) => started ?? boot(...args), storedHeight, status, mesh, primitives, stop: () => booted?.stop() });
