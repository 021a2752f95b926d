/**
 * The mesh over real WebRTC (SPEC §6, §9): each node is a page in its own
 * browser context, running a pure MeshNode on a real ChainState, bound to a
 * WebRTC transport that meets its peers through the real relay process
 * (`medchain relay --port 0`) on 127.0.0.1 inside the test's network
 * namespace.
 */
import { createHash } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { toHex } from '../../src/lib/core/bytes';
import { publicKeyOf } from '../../src/lib/core/signature';
import type { StartOptions } from './harness/mesh';
import { harnessOf, openHarness } from './setup/fixtures';
import { startMitmRelay } from './setup/mitm-relay';
import { startRelayProcess, type RelayProcess } from '../../src/bench/relay-process';

type State = {
  height: number;
  tip: string;
  connected: string[];
  ready: string[];
  presence: { nodeId: string; role: number | null; height: number | null; connected: boolean }[];
  refused: Record<string, number>;
  bans: { peer: string; fault: string | null }[];
  framesIn: number;
  errors: number;
  setupMs: number[];
};
type Fp = { algorithm: string; value: string } | null;
type MeshHarness = {
  start(o: StartOptions): Promise<void>;
  mine(txs: number, txBytes: number): { key: string; bytes: number };
  state(): State;
  garbage(peer: string): boolean;
  fingerprints(peer: string): Promise<{ signed: Fp; actual: Fp } | null>;
  stop(): void;
};

interface Node {
  readonly id: string;
  readonly page: Page;
  call: ReturnType<typeof harnessOf<MeshHarness>>;
  state(): Promise<State>;
}

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay.stop();
});

/** A deterministic node key per name, so tests can name nodes by key order. */
function secretOf(name: string): { secretHex: string; id: string } {
  const secret = new Uint8Array(createHash('sha256').update(`mesh-spec/${name}`).digest());
  return { secretHex: toHex(secret), id: toHex(publicKeyOf(secret)) };
}

/** The same network id for every node of one test. */
let networkSeq = 0;
function network(): string {
  return `n${++networkSeq}`;
}

const others = (all: Node[], n: Node) =>
  all
    .filter((o) => o !== n)
    .map((o) => o.id)
    .sort();

test('three nodes connect pairwise through the relay; a block mined by one reaches the others; presence lists them', async ({ browser }) => {
  const net = network();
  const all = await nodesOne(browser, net, ['a', 'b', 'c']);
  for (const n of all) await expect.poll(async () => (await n.state()).ready.sort(), { timeout: 20_000 }).toEqual(others(all, n));
  const [a, b, c] = all as [Node, Node, Node];
  const mined = await a.call('mine', 2, 200);
  for (const n of [b, c]) await expect.poll(async () => (await n.state()).tip, { timeout: 20_000 }).toBe(mined.key);
  const s = await c.state();
  expect(s.height).toBe(4);
  expect(s.presence.map((e) => e.nodeId)).toEqual(others(all, c));
  expect(s.presence.every((e) => e.connected && e.role === 1)).toBe(true);
  await expect.poll(async () => (await c.state()).presence.find((e) => e.nodeId === a.id)?.height).toBe(4);
  // The channel runs on the certificate the signed SDP pinned (the check a swapped fingerprint would fail).
  const fp = await b.call('fingerprints', a.id);
  expect(fp?.signed).not.toBeNull();
  expect(fp?.actual).toEqual(fp?.signed);
  for (const n of all) expect((await n.state()).bans).toEqual([]);
});

test('a block of about 600 KiB crosses the data channels intact, in 64 KiB chunks', async ({ browser }) => {
  const all = await nodesOne(browser, network(), ['a', 'b', 'c']);
  for (const n of all) await expect.poll(async () => (await n.state()).ready.length, { timeout: 20_000 }).toBe(2);
  const [a, b, c] = all as [Node, Node, Node];
  const before = (await b.state()).framesIn;
  const mined = await a.call('mine', 10, 60 * 1024);
  expect(mined.bytes).toBeGreaterThan(600 * 1024);
  // The receivers decode, check every signature and the root of the block: intact bytes or no acceptance.
  for (const n of [b, c]) await expect.poll(async () => (await n.state()).tip, { timeout: 30_000 }).toBe(mined.key);
  expect((await b.state()).framesIn - before).toBeGreaterThanOrEqual(10);
  for (const n of all) expect((await n.state()).bans).toEqual([]);
});

test('a relay that rewrites the DTLS fingerprint of offers and answers gets the connection refused and counted', async ({ browser }) => {
  const mitm = await startMitmRelay(relay.url);
  try {
    const all = await nodesOne(browser, network(), ['a', 'b', 'c'], { relayUrl: (name) => (name === 'a' ? mitm.url : relay.url) });
    const [a, b, c] = all as [Node, Node, Node];
    await expect.poll(async () => (await b.state()).ready, { timeout: 20_000 }).toEqual([c.id]);
    // Hellos pass untouched, so `a` knows both peers are there; their SDPs reach it rewritten and are refused.
    await expect.poll(async () => (await a.state()).presence.map((e) => e.nodeId), { timeout: 20_000 }).toEqual(others(all, a));
    // For each pair the lower key offers; the rewritten offer is refused (bad signature) by the other node.
    for (const peer of [b, c]) {
      const refuser = a.id < peer.id ? peer : a;
      await expect.poll(async () => (await refuser.state()).refused.BAD_SIGNATURE ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    }
    await a.page.waitForTimeout(3000);
    expect((await a.state()).connected).toEqual([]);
    expect((await b.state()).connected).toEqual([c.id]);
    expect(mitm.rewritten()).toBeGreaterThan(0);
  } finally {
    await mitm.close();
  }
});

test('a peer sending garbage frames is banned and refused while the others stay connected', async ({ browser }) => {
  const all = await nodesOne(browser, network(), ['victim', 'rogue', 'other']);
  for (const n of all) await expect.poll(async () => (await n.state()).ready.length, { timeout: 20_000 }).toBe(2);
  const [victim, rogue, other] = all as [Node, Node, Node];
  expect(await rogue.call('garbage', victim.id)).toBe(true);
  await expect.poll(async () => (await victim.state()).bans, { timeout: 10_000 }).toEqual([{ peer: rogue.id, fault: 'MALFORMED' }]);
  await expect.poll(async () => (await rogue.state()).connected, { timeout: 10_000 }).toEqual([other.id]);
  // The rogue keeps asking for a channel; the victim refuses it and counts.
  await expect.poll(async () => (await victim.state()).refused.BANNED ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
  const v = await victim.state();
  expect(v.connected).toEqual([other.id]);
  expect(v.errors).toBe(0);
  expect((await other.state()).connected).toEqual([rogue.id, victim.id].sort());
  expect((await other.state()).bans).toEqual([]);
});

/** All nodes of one test share one network id. */
async function nodesOne(browser: Browser, net: string, names: string[], opts: { relayUrl?: (name: string) => string } = {}): Promise<Node[]> {
  const id = `mesh-spec-${net}-${Date.now()}`;
  return nodesWith(browser, id, names, opts);
}

async function nodesWith(browser: Browser, networkId: string, names: string[], opts: { relayUrl?: (name: string) => string }): Promise<Node[]> {
  return Promise.all(
    names.map(async (name) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await openHarness(page, 'mesh');
      const call = harnessOf<MeshHarness>(page);
      const { secretHex, id } = secretOf(`${networkId}/${name}`);
      await call('start', { relayUrl: opts.relayUrl?.(name) ?? relay.url, networkId, secretHex, blocks: 3 });
      return { id, page, call, state: () => call('state') };
    }),
  );
}
