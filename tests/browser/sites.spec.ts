/**
 * Issue 12 across sites, with real parts (SPEC §6, §9): a small internet of
 * network namespaces made by this test (tests/sites/world.ts) — the app
 * served over HTTPS by `medchain serve`, two relays over `wss://` by
 * `medchain relay` handing out TURN credentials, and a real coturn, all on
 * an "internet" segment; hospital A's and hospital B's LANs behind
 * port-preserving NATs and patient P's home behind a symmetric
 * (port-randomising) NAT, each with its own Chromium that trusts the run's
 * test CA. The app is built for this deployment (its relays and STUN from
 * MEDCHAIN_* at build time), so its CSP allows exactly those relays.
 *
 * Stories: A founds; B joins by link and is approved; P joins, registers,
 * grants A, and A reads; every node reaches one final tip; P's links go
 * through TURN (the selected candidate pair of getStats) while A and B
 * connect directly; with one relay stopped the network keeps working
 * through the other (B reloads and meets everyone again); with TURN stopped
 * P shows the blocked state and keeps a write on the device, then recovers
 * when TURN returns; nothing written is lost. Figures (join link → first
 * sync per site, confirmation across sites) are printed and written to
 * test-results/sites-figures.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page, test } from '@playwright/test';
import { verhoeffDigit } from '../../src/lib/core/verhoeff';
import type { LinkReport } from '../../src/lib/adapters/net/link-report';
import type { NodeStatus } from '../../src/lib/node/types';
import { viteBuild } from '../../scripts/build-app.mjs';
import { expect, failOnPageErrors } from './setup/app';
import { ROOT } from '../../src/bench/harness-bundle';
import {
  foundAsHospital,
  applyAndApprove,
  history,
  joinByLink,
  nav,
  nodeRole,
  openPatient,
  patientShortId,
  registerInApp,
  section,
  shareLink,
} from './setup/story-steps';
import { buildWorld, startTurn, type NsProcess, type TurnServer, type World } from '../sites/world';

const aadhaar = (body: string) => body + String(verhoeffDigit(body));
const A = { aadhaar: aadhaar('27654321098'), pass: 'granite comet willow harbour', hospital: 'Aarogya Hospital' };
const B = { aadhaar: aadhaar('38765432109'), pass: 'saffron beacon otter quarry', hospital: 'Bodhi Heart Centre' };
const P = { aadhaar: aadhaar('49876543210'), pass: 'lantern orchard pebble violet', name: 'Meera Iyer' };

/** Chain waits across sites on a loaded 2-core machine. */
const CHAIN = 120_000;
/** A link through TURN lost, two failed attempts to make it again (ICE consent, connect timeouts, backoff). */
const OUTAGE = 300_000;

test.use({ actionTimeout: 60_000 });

type Handle = { status(): NodeStatus; links(): LinkReport | null };
/** The node's status; a page whose node has not started yet (just reloaded) throws, so a poll waits on. */
const status = (page: Page) => page.evaluate(() => (window as unknown as { medchain: Handle }).medchain.status());
/** The node's links, or null while the page has no node (just reloaded). */
const links = (page: Page) => page.evaluate(() => (window as unknown as { medchain?: Handle }).medchain?.links() ?? null);

/** The path of `page`'s open link to each of `peers` (node ids), e.g. `{ a: 'direct' }`. */
async function paths(page: Page, peers: Record<string, string>): Promise<Record<string, string>> {
  const report = await links(page);
  const out: Record<string, string> = {};
  for (const [name, id] of Object.entries(peers)) {
    const p = report?.peers.find((x) => x.id === id);
    out[name] = p?.state === 'open' ? (p.path?.path ?? 'open, path unknown') : (p?.state ?? 'unknown');
  }
  return out;
}

/** One settled final tip: `height/tip` when the tip is final, else a marker that never matches another page's. */
async function settled(page: Page): Promise<string> {
  const s = await status(page);
  return s.finalHeight === s.height ? `${s.height}/${s.tipHash}` : `unsettled-${Math.random()}`;
}

const percentile = (xs: number[], q: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;

interface Deployment {
  world: World;
  appUrl: string;
  relays: [NsProcess, NsProcess];
  turn: TurnServer;
  restartRelay1(): Promise<void>;
}

let deployed: Deployment | null = null;
let buildDir = '';

test.beforeAll(async () => {
  test.setTimeout(600_000);
  const world = await buildWorld();
  try {
    const secretFile = join(world.dir, 'turn-secret');
    writeFileSync(secretFile, 'sites-test-turn-secret\n', { mode: 0o600 });
    const turn = await startTurn(world, { secret: 'sites-test-turn-secret' });
    const env = {
      MEDCHAIN_RELAYS: `wss://${world.names.relay1},wss://${world.names.relay2}`,
      MEDCHAIN_STUN: turn.stunUrl,
    };
    // The app built for this deployment, in its own folder (build/ stays the zero-configuration build).
    buildDir = mkdtempSync(join(tmpdir(), 'medchain-sites-build-'));
    await viteBuild({ quiet: true, env: { ...env, MEDCHAIN_BUILD_OUT: buildDir } });
    const tls = ['--tls-cert', world.tls.fullchain, '--tls-key', world.tls.key];
    const app = world.spawnIn(
      world.internet.ns,
      process.execPath,
      ['bin/medchain.mjs', 'serve', '--host', world.ips.app, '--port', '443', '--root', buildDir, ...tls],
      { cwd: ROOT, env, name: 'app' },
    );
    const relay = (n: 1 | 2) =>
      world.spawnIn(
        world.internet.ns,
        process.execPath,
        [
          'bin/medchain.mjs',
          'relay',
          '--host',
          world.ips[`relay${n}`],
          '--port',
          '443',
          ...tls,
          '--turn-url',
          turn.turnUrls.join(','),
          '--turn-secret-file',
          secretFile,
        ],
        { cwd: ROOT, name: `relay${n}` },
      );
    const relays: [NsProcess, NsProcess] = [relay(1), relay(2)];
    await Promise.all([app.waitFor(/medchain app: https:/, 30_000), ...relays.map((r) => r.waitFor(/medchain relay: wss:/, 30_000))]);
    deployed = {
      world,
      // Port 443: the URL carries no port, as a hospital's would.
      appUrl: `https://${world.names.app}/`,
      relays,
      turn,
      async restartRelay1() {
        relays[0] = relay(1);
        await relays[0].waitFor(/medchain relay: wss:/, 30_000);
      },
    };
  } catch (e) {
    await world.teardown();
    throw e;
  }
});

test.afterAll(async () => {
  await deployed?.world.teardown();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

test('three sites behind NAT: found, join, consent, TURN for the symmetric NAT, a relay down, TURN down and back, nothing lost', async ({}, info) => {
  test.setTimeout(1_200_000);
  const d = deployed!;
  const { world, appUrl } = d;
  const browsers = new Map<string, Browser>();
  const open = async (site: string) => {
    const browser = await chromium.launch(world.chromiumFor(site));
    browsers.set(site, browser);
    const page = await (await browser.newContext()).newPage();
    return { page, problems: failOnPageErrors(page) };
  };
  const figures: Record<string, unknown> = {};
  try {
    const [a, b, p] = await Promise.all([open('a'), open('b'), open('p')]);
    const ids: Record<'a' | 'b' | 'p', string> = { a: '', b: '', p: '' };
    let link = '';

    await test.step('A founds the network on its LAN with the deployment’s two relays', async () => {
      await foundAsHospital(a.page, appUrl, { network: 'Sites Network', ...A });
      link = await shareLink(a.page);
      const relays = new URLSearchParams(link.slice(link.indexOf('#') + 1)).getAll('relay');
      expect(relays).toEqual([`wss://${world.names.relay1}`, `wss://${world.names.relay2}`]);
      ids.a = (await status(a.page)).nodeId!;
      await nav(a.page, 'Clinician');
    });

    /** Opens the join link and measures the time until this node holds A's tip. */
    const joinAndSync = async (page: Page): Promise<number> => {
      const target = (await status(a.page)).height;
      const t0 = Date.now();
      await joinByLink(page, link);
      await expect
        .poll(
          async () => {
            const s = await status(page);
            return s.peers > 0 && s.height >= target;
          },
          { timeout: CHAIN, intervals: [100] },
        )
        .toBe(true);
      return Date.now() - t0;
    };

    await test.step('B joins by link from another site, applies, and A approves it', async () => {
      figures.join_to_first_sync_ms_direct_site = await joinAndSync(b.page);
      ids.b = (await status(b.page)).nodeId!;
      await applyAndApprove(b.page, a.page, B, CHAIN);
      await expect.poll(() => nodeRole(b.page), { timeout: 60_000 }).toBe('validator');
    });

    let shortId = '';
    await test.step('P joins from behind a symmetric NAT, registers and uploads a record', async () => {
      figures.join_to_first_sync_ms_symmetric_site = await joinAndSync(p.page);
      ids.p = (await status(p.page)).nodeId!;
      await registerInApp(p.page, P, CHAIN);
      shortId = await patientShortId(p.page);
      await addPatientRecord(p.page, 'Home blood pressure log', 'Readings of the last two weeks.');
    });

    await test.step('A requests access, P grants it, A reads the record', async () => {
      await openPatient(a.page, shortId);
      await a.page.getByRole('button', { name: 'Send request' }).click();
      await section(p.page, 'Requests');
      await p.page.getByRole('button', { name: 'Answer…' }).click({ timeout: CHAIN });
      await p.page.getByRole('button', { name: 'Give consent' }).click();
      await expect(p.page.getByText('Consent saved on this device')).toBeVisible();
      await expect(history(a.page)).toContainText('Home blood pressure log', { timeout: CHAIN });
    });

    await test.step('P’s links go through TURN; A and B connect, directly when ICE finds the hole through both NATs (selected candidate pairs)', async () => {
      await expect.poll(() => paths(p.page, { a: ids.a, b: ids.b }), { timeout: CHAIN }).toEqual({ a: 'relayed', b: 'relayed' });
      // A and B are behind port-preserving NATs, so ICE normally nominates a direct pair; on a machine loaded by
      // other work its checks through both NATs have once timed out, and the browser kept the TURN pair it had
      // already nominated (CI, 2026-12-07). The link is the product's to make; which pair ICE keeps is the
      // browser's: a direct A–B link is expected and reported, a relayed one is recorded as a warning.
      const ab = { a: /^(direct|relayed)$/, b: /^(direct|relayed)$/ };
      await expect.poll(() => paths(a.page, { b: ids.b, p: ids.p }), { timeout: CHAIN }).toEqual({ b: expect.stringMatching(ab.b), p: 'relayed' });
      await expect.poll(() => paths(b.page, { a: ids.a, p: ids.p }), { timeout: CHAIN }).toEqual({ a: expect.stringMatching(ab.a), p: 'relayed' });
      const direct = await expect
        .poll(async () => (await paths(a.page, { b: ids.b })).b, { timeout: 30_000 })
        .toBe('direct')
        .then(
          () => true,
          () => false,
        );
      if (!direct) test.info().annotations.push({ type: 'warning', description: 'A–B kept a TURN pair: ICE found no direct pair through both NATs in time' });
      figures.ab_direct = direct;
      const report = (await links(p.page))!;
      expect(report.turn).toBe('available');
      expect(report.relays.map((r) => r.state)).toEqual(['open', 'open']);
      // The person sees it too: the status bar and the explorer's mesh.
      await expect(p.page.getByTestId('status-connection')).toContainText('Connected to 2 peers (2 through TURN)', { timeout: 30_000 });
      await nav(a.page, 'Explorer');
      await expect(a.page.getByTestId('mesh-peers').locator('li[data-path="direct"]')).toHaveCount(direct ? 1 : 0);
      await expect(a.page.getByTestId('mesh-peers').locator('li[data-path="relayed"]').first()).toContainText('relayed through TURN');
      await nav(a.page, 'Clinician');
      figures.paths = { p: await paths(p.page, { a: ids.a, b: ids.b }), a: await paths(a.page, { b: ids.b, p: ids.p }) };
    });

    const pages = [a.page, b.page, p.page];
    const oneFinalTip = () => expect.poll(async () => new Set(await Promise.all(pages.map(settled))).size, { timeout: CHAIN, intervals: [250] }).toBe(1);

    await test.step('every node reaches the same final tip', oneFinalTip);

    await test.step('confirmation across sites: a record added at A is final on all three nodes', async () => {
      await openPatient(a.page, shortId);
      const samples: number[] = [];
      for (let i = 0; i < 6; i++) samples.push(await confirmAcross(a.page, pages, `Follow-up note ${i + 1}`));
      figures.confirm_across_sites_ms = { samples, p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
    });

    await test.step('relay 1 stops: B reloads and meets everyone through relay 2; writes still become final', async () => {
      await d.relays[0].stop();
      await b.page.reload();
      await expect
        .poll(async () => (await links(b.page))?.relays.map((r) => r.state), { timeout: 60_000 })
        .toEqual([expect.not.stringMatching(/^open$/), 'open']);
      await expect.poll(() => paths(b.page, { a: ids.a, p: ids.p }), { timeout: CHAIN }).toEqual({ a: 'direct', p: 'relayed' });
      expect((await status(b.page)).role).toBe('validator');
      await confirmAcross(a.page, pages, 'Written while relay 1 was down');
      await d.restartRelay1();
      await expect.poll(async () => (await links(b.page))?.relays.map((r) => r.state), { timeout: 90_000 }).toEqual(['open', 'open']);
    });

    await test.step('TURN stops: P shows the blocked state and keeps its write; TURN returns and P recovers', async () => {
      await d.turn.stop();
      await expect(p.page.getByTestId('status-connection')).toHaveText(
        'Peers cannot be reached: direct connection blocked and the TURN server does not relay',
        { timeout: OUTAGE },
      );
      expect((await links(p.page))?.blocked).toBe(true);
      await addPatientRecord(p.page, 'Written while cut off', 'Saved on the phone while no peer could be reached.', false);
      await expect(p.page.getByText(/will sync/).first()).toBeVisible();
      const t0 = Date.now();
      await d.turn.start();
      await expect.poll(() => paths(p.page, { a: ids.a, b: ids.b }), { timeout: OUTAGE }).toEqual({ a: 'relayed', b: 'relayed' });
      figures.turn_back_to_relinked_ms = Date.now() - t0;
      await expect(history(a.page)).toContainText('Written while cut off', { timeout: CHAIN });
      await oneFinalTip();
    });

    await test.step('nothing written is lost: every record is on every node', async () => {
      await section(p.page, 'Records');
      const titles = [
        'Home blood pressure log',
        ...[1, 2, 3, 4, 5, 6].map((i) => `Follow-up note ${i}`),
        'Written while relay 1 was down',
        'Written while cut off',
      ];
      for (const t of titles) await expect(p.page.getByTestId('timeline').getByRole('button', { name: t })).toBeVisible({ timeout: CHAIN });
      for (const t of titles) await expect(history(a.page)).toContainText(t);
    });

    // Expected noise: sockets to relay 1 while it was stopped. Nothing else may go wrong on any page.
    const expected = (m: string) => m.includes(`wss://${world.names.relay1}`);
    expect(a.problems.filter((m) => !expected(m))).toEqual([]);
    expect(b.problems.filter((m) => !expected(m))).toEqual([]);
    expect(p.problems.filter((m) => !expected(m))).toEqual([]);
  } catch (e) {
    // What each site's page showed and what its node said, and the servers' logs, with the report.
    for (const [site, br] of browsers) {
      const page = br.contexts()[0]?.pages()[0];
      if (!page) continue;
      const body = await page
        .locator('body')
        .innerText()
        .catch((x: Error) => `(no text: ${x.message})`);
      const node = await page
        .evaluate(() =>
          JSON.stringify(
            { status: (window as unknown as { medchain?: Handle }).medchain?.status(), links: (window as unknown as { medchain?: Handle }).medchain?.links() },
            null,
            1,
          ),
        )
        .catch(() => 'null');
      await info.attach(`site-${site}`, { body: `${page.url()}\n${node}\n\n${body}`, contentType: 'text/plain' });
      console.log(`--- site ${site} ${page.url()}\n${node}\n${body.slice(0, 2000)}`);
    }
    for (const proc of [...d.relays, d.turn.process()]) if (proc) console.log(`--- ${proc.name}\n${proc.output().slice(-3000)}`);
    throw e;
  } finally {
    const text = JSON.stringify(figures, null, 2);
    console.log(`sites figures: ${text}`);
    await info.attach('sites-figures', { body: text, contentType: 'application/json' });
    writeFileSync(join(ROOT, 'test-results', 'sites-figures.json'), text + '\n');
    for (const br of browsers.values()) await br.close();
  }
});

/** The patient adds a record of kind "Lab report" (no attachment); with `synced`, waits until it is in a block. */
async function addPatientRecord(page: Page, title: string, notes: string, synced = true): Promise<void> {
  await section(page, 'Add a record');
  await page.getByLabel('Kind of record').selectOption({ label: 'Lab report' });
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Notes').fill(notes);
  await page.getByRole('button', { name: 'Save record' }).click();
  await expect(page.getByText('Record saved on this device')).toBeVisible({ timeout: 30_000 });
  if (synced) await expect(page.getByTestId('timeline').getByRole('button', { name: title })).toBeVisible({ timeout: CHAIN });
}

/**
 * The clinician at `writer` adds a record for the open patient; resolves
 * with the milliseconds from the click until the block holding it is final
 * on every page's node (an upper bound: the writer's tip when its history
 * first shows the record).
 */
async function confirmAcross(writer: Page, pages: Page[], title: string): Promise<number> {
  await writer.locator('#rec-category').selectOption({ label: 'Consultation note' });
  await writer.locator('#rec-title').fill(title);
  await writer.locator('#rec-text').fill('Seen today; continue as planned.');
  const t0 = Date.now();
  await writer.getByRole('button', { name: 'Add record' }).click();
  // The history lists records on the writer's active chain: once it shows this one, the block holding it is at or below the tip.
  await expect(history(writer)).toContainText(title, { timeout: CHAIN });
  const height = (await status(writer)).height;
  await expect
    .poll(async () => Math.min(...(await Promise.all(pages.map(async (pg) => (await status(pg)).finalHeight)))), { timeout: CHAIN, intervals: [50] })
    .toBeGreaterThanOrEqual(height);
  return Date.now() - t0;
}
