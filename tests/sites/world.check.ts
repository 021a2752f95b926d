/**
 * Builds a test world and checks that it behaves as tests/sites/world.ts
 * says, one line per check, exiting non-zero if any fails. Tears the world
 * down whatever happens, then checks that nothing of it is left.
 *
 *   scripts/netns-run.sh npx tsx tests/sites/world.check.ts [--fail-after N] [--skip-webrtc]
 *
 * --fail-after N throws on purpose after check group N (1-6), to show that a
 * failure midway still tears everything down.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { optionsOrExit, readOptions, wholeNumber } from '../../scripts/script-args.mjs';
import { run } from './exec';
import { IP, listNetns } from './netns';
import { startTurn, type TurnServer } from './turn';
import { buildWorld, chromiumFor, type Site, type World } from './world';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SERVERS = `${HERE}servers.mjs`;
const PROBE = `${HERE}probe.mjs`;
const { failAfter, skipWebRtc } = optionsOrExit('world.check', () => {
  const args = readOptions(
    process.argv.slice(2),
    { 'fail-after': { type: 'string' }, 'skip-webrtc': { type: 'boolean' } },
    'scripts/netns-run.sh npx tsx tests/sites/world.check.ts [--fail-after N] [--skip-webrtc]',
  );
  return { failAfter: wholeNumber(args['fail-after'], 'fail-after', 0, 1, 6), skipWebRtc: args['skip-webrtc'] === true };
});

let failures = 0;
let current: World | undefined;
const t0 = Date.now();
function check(name: string, ok: boolean, detail: string): void {
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} — ${detail}`);
}
const since = (t: number): string => `${((Date.now() - t) / 1000).toFixed(2)} s`;

/** Runs probe.mjs inside `ns` and returns its JSON. */
async function probe<T = Record<string, unknown>>(world: World, ns: string, args: string[]): Promise<T> {
  const r = await world.exec(ns, process.execPath, [PROBE, ...args], { timeoutMs: 30_000 });
  return JSON.parse(r.stdout) as T;
}

type UdpMap = { ok: boolean; rounds: { localPort: number; seen: { server: string; address: string | null; port: number | null }[] }[] };

async function checkFailedBuildCleansUp(): Promise<void> {
  // A build that fails midway (site b's host namespace exists already) must remove all it made and nothing else.
  const prefix = `mcw${process.pid}f`;
  const blocker = `${prefix}-b-host`;
  await run(IP, ['netns', 'add', blocker]);
  try {
    let error = '';
    try {
      const w = await buildWorld({ prefix });
      await w.teardown();
    } catch (e) {
      error = String(e).split('\n')[0] ?? '';
    }
    const left = (await listNetns()).filter((n) => n.startsWith(`${prefix}-`));
    const etcLeft = ['inet', 'a-router', 'a-host', 'b-router', 'p-router', 'p-host'].filter((s) => existsSync(`/etc/netns/${prefix}-${s}`));
    check(
      '0 failed build tears down',
      error !== '' && left.length === 1 && left[0] === blocker && etcLeft.length === 0,
      `build failed as forced (${error.slice(0, 90)}…); namespaces left: ${left.join(' ') || 'none'} (only the pre-existing ${blocker} may stay); /etc/netns dirs left: ${etcLeft.length}`,
    );
  } finally {
    await run(IP, ['netns', 'del', blocker]);
  }
}

async function checks(world: World): Promise<void> {
  const sites = Object.values(world.sites);
  const inet = world.internet.ns;
  const maybeFail = (n: number): void => {
    if (failAfter === n) throw new Error(`--fail-after ${n}: failing on purpose`);
  };

  // Servers in the internet namespace (and a TCP listener on each site host, for the isolation check).
  const https = world.spawnIn(inet, process.execPath, [SERVERS, 'https', world.ips.app, '443', world.tls.cert, world.tls.key], { name: 'https' });
  const echo = world.spawnIn(inet, process.execPath, [SERVERS, 'udp-echo', `${world.ips.app}:40000`, `${world.ips.relay1}:40000`], { name: 'udp-echo' });
  const tcp = sites.map((s) => world.spawnIn(s.host.ns, process.execPath, [SERVERS, 'tcp', s.host.ip, '7000'], { name: `tcp-${s.name}` }));
  await Promise.all([https.waitFor(/listening/), echo.waitFor(/listening/), ...tcp.map((p) => p.waitFor(/listening/))]);

  // (1) Every site host reaches the HTTPS server by name, trusting only the run's CA.
  for (const s of sites) {
    const r = await probe<{ ok: boolean; status?: number; body?: string; error?: string }>(world, s.host.ns, [
      'https-get',
      world.url('app', 443, '/health'),
      world.tls.caCert,
    ]);
    const seenFrom = r.body?.trim().split(' ')[1];
    check(
      `1 https by name from ${s.name}`,
      r.ok && r.status === 200 && seenFrom === s.publicIp,
      `GET ${world.url('app', 443, '/health')} → ${r.status ?? r.error}; server saw ${seenFrom} (router WAN ${s.publicIp})`,
    );
  }
  maybeFail(1);

  // (2) NAT behaviour: one local UDP socket, two destinations.
  for (const s of sites) {
    const r = await probe<UdpMap>(world, s.host.ns, ['udp-map', `${world.ips.app}:40000`, `${world.ips.relay1}:40000`, '--rounds', '3']);
    const addrsOk = r.rounds.every((x) => x.seen.every((y) => y.address === s.publicIp));
    const same = r.rounds.every((x) => x.seen[0]?.port !== null && x.seen[0]?.port === x.seen[1]?.port);
    const differ = r.rounds.every((x) => x.seen[0]?.port !== null && x.seen[1]?.port !== null && x.seen[0]?.port !== x.seen[1]?.port);
    const preserved = r.rounds.every((x) => x.seen.every((y) => y.port === x.localPort));
    const shown = r.rounds.map((x) => `${x.localPort}→${x.seen.map((y) => y.port).join('/')}`).join(', ');
    const want = s.nat === 'port-preserving' ? same && preserved : differ;
    check(
      `2 nat ${s.name} (${s.nat})`,
      r.ok && addrsOk && want,
      `public address ${[...new Set(r.rounds.flatMap((x) => x.seen.map((y) => y.address)))].join(',')}; local port → port seen by ${world.ips.app}/${world.ips.relay1}: ${shown}`,
    );
  }
  maybeFail(2);

  // (3) Sites cannot reach each other's private addresses (each host's listener is reachable from its own router).
  for (const s of sites) {
    const own = await probe<{ connected: boolean }>(world, s.router.ns, ['tcp-connect', s.host.ip, '7000', '1500']);
    const others: string[] = [];
    let leaked = false;
    for (const o of sites) {
      if (o === s) continue;
      for (const target of [o.host.ip, o.router.lanIp]) {
        const r = await probe<{ connected: boolean; error?: string }>(world, s.host.ns, ['tcp-connect', target, '7000', '1000']);
        if (r.connected) leaked = true;
        others.push(`${target}:${r.connected ? 'CONNECTED' : r.error}`);
      }
    }
    check(
      `3 isolation of ${s.name}`,
      own.connected && !leaked,
      `own router → ${s.host.ip}:7000 ${own.connected ? 'connects' : 'FAILS'}; from ${s.host.ip}: ${others.join(' ')}`,
    );
  }
  maybeFail(3);

  // (4) coturn: starts, answers STUN/TURN, relays only inside the world, stops, starts again.
  let t = Date.now();
  const turn = await startTurn(world, { secret: 'world-check-secret' });
  const startMs = Date.now() - t;
  const a = world.site('a');
  const p = world.site('p');
  const stunA = await probe<{ ok: boolean; mapped?: { address: string; port: number } }>(world, a.host.ns, ['stun', world.names.turn, '3478']);
  check(
    '4 turn starts',
    stunA.ok && stunA.mapped?.address === a.publicIp,
    `ready in ${startMs} ms; STUN from site a → mapped ${stunA.mapped?.address}:${stunA.mapped?.port}`,
  );
  const cred = turn.credentials('check');
  const relay = await probe<{
    ok: boolean;
    relayed?: { address: string; port: number };
    permission?: unknown;
    echo?: { from?: { address: string; port: number }; data?: string };
    deniedPermission?: unknown;
    error?: unknown;
    firstAllocate?: unknown;
  }>(world, p.host.ns, ['turn-relay', world.names.turn, '3478', cred.username, cred.credential, `${world.ips.app}:40000`, a.host.ip]);
  const echoed = relay.echo?.data ? (JSON.parse(relay.echo.data) as { seen: { address: string; port: number } }) : undefined;
  check(
    '4 turn relays from symmetric site p',
    relay.ok && relay.relayed?.address === world.ips.turn && relay.permission === 'granted' && echoed?.seen.address === world.ips.turn,
    `relayed address ${relay.relayed?.address}:${relay.relayed?.port}; permission for ${world.ips.app}: ${JSON.stringify(relay.permission)}; echo server saw ${echoed?.seen.address}:${echoed?.seen.port}${relay.error ? `; error ${JSON.stringify(relay.error)}` : ''}`,
  );
  const denied = relay.deniedPermission as { code?: number } | undefined;
  check('4 turn refuses peers outside the world', denied?.code === 403, `CreatePermission for ${a.host.ip} → ${JSON.stringify(relay.deniedPermission)}`);
  t = Date.now();
  await turn.stop();
  const stopMs = Date.now() - t;
  const stunStopped = await probe<{ ok: boolean }>(world, a.host.ns, ['stun', world.names.turn, '3478']);
  t = Date.now();
  await turn.start();
  const restartMs = Date.now() - t;
  const stunAgain = await probe<{ ok: boolean }>(world, a.host.ns, ['stun', world.names.turn, '3478']);
  check(
    '4 turn stops and starts again',
    !stunStopped.ok && stunAgain.ok && turn.running(),
    `stopped in ${stopMs} ms (then STUN ${stunStopped.ok ? 'STILL ANSWERS' : 'gets no answer'}); restarted in ${restartMs} ms (STUN ${stunAgain.ok ? 'answers' : 'NO ANSWER'})`,
  );
  maybeFail(4);

  // (5) Chromium in site a: HTTPS page trusted through the NSS database, secure context, service worker.
  t = Date.now();
  const browsers: Browser[] = [];
  try {
    const browserA = await chromium.launch(chromiumFor(a));
    browsers.push(browserA);
    const launchMs = Date.now() - t;
    const page = await browserA.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const res = await page.goto(world.url('app', 443));
    const security = await res?.securityDetails();
    const info = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.register('/sw.js');
      const ready = await navigator.serviceWorker.ready;
      const sw = ready.active;
      if (sw && sw.state !== 'activated')
        await new Promise((r) => {
          sw.addEventListener('statechange', () => sw.state === 'activated' && r(undefined));
          setTimeout(r, 5000);
        });
      return {
        secure: window.isSecureContext,
        subtle: typeof crypto.subtle?.digest === 'function',
        scope: reg.scope,
        active: sw?.state ?? null,
        ua: navigator.userAgent,
      };
    });
    check(
      '5 chromium in site a: https page',
      res?.status() === 200 && info.secure && info.subtle && errors.length === 0,
      `launch ${launchMs} ms; ${world.url('app', 443)} → ${res?.status()}, issuer "${security?.issuer}", isSecureContext ${info.secure}, crypto.subtle ${info.subtle}${errors.length ? `; console errors: ${errors.join(' | ')}` : ''}`,
    );
    check('5 chromium in site a: service worker', info.active === 'activated', `registered, scope ${info.scope}, active worker ${info.active}`);

    // Negative control: the same browser without the site's HOME (no NSS trust) must refuse the certificate.
    const untrusted = await chromium.launch({
      ...chromiumFor(a),
      env: { ...process.env, MEDCHAIN_NETNS: a.hostNs, MEDCHAIN_HOME: `${world.dir}/no-such-home` } as Record<string, string>,
    });
    browsers.push(untrusted);
    let refused = '';
    try {
      await (await untrusted.newPage()).goto(world.url('app', 443));
    } catch (e) {
      refused = /net::ERR_CERT_[A-Z_]+/.exec(String(e))?.[0] ?? String(e).slice(0, 80);
    }
    await untrusted.close();
    check('5 trust comes from the NSS db', refused.startsWith('net::ERR_CERT'), `same wrapper with a HOME lacking .pki/nssdb → ${refused || 'page LOADED'}`);
    maybeFail(5);

    // (6) WebRTC between sites (data channel; SDP passed by the test, not a relay).
    if (!skipWebRtc) {
      const pages: Record<string, Page> = { a: page };
      for (const name of ['b', 'p']) {
        const b = await chromium.launch(chromiumFor(world.site(name)));
        browsers.push(b);
        const pg = await b.newPage();
        await pg.goto(world.url('app', 443));
        pages[name] = pg;
      }
      const stunOnly = [{ urls: turn.stunUrl }];
      const withTurn = [{ urls: turn.stunUrl }, { urls: turn.turnUrls[0]!, ...turn.credentials('rtc') }];
      for (const [x, y, ice, expect] of [
        ['a', 'b', stunOnly, 'connect'],
        ['a', 'p', stunOnly, 'fail'],
        ['a', 'p', withTurn, 'relay'],
      ] as const) {
        const r = await connectPair(pages[x]!, pages[y]!, ice, 15_000);
        const ok =
          expect === 'connect'
            ? r.connected
            : expect === 'fail'
              ? !r.connected
              : r.connected && (r.local?.includes('relay') || r.remote?.includes('relay')) === true;
        check(
          `6 webrtc ${x}↔${y} ${ice.length === 1 ? 'stun only' : 'stun+turn'}`,
          ok,
          `${r.connected ? `connected in ${r.ms} ms via ${r.local} ⇄ ${r.remote}` : `not connected after ${r.ms} ms (ice ${r.state})`}; ${x} gathered ${r.candidatesX}; ${y} gathered ${r.candidatesY}`,
        );
      }
      maybeFail(6);
    }
  } finally {
    await Promise.allSettled(browsers.map((b) => b.close()));
  }
  void (turn satisfies TurnServer);
}

/** Offer/answer between two pages (gathering completes before each description is passed), then waits for the data channel. */
async function connectPair(x: Page, y: Page, iceServers: readonly { urls: string; username?: string; credential?: string }[], timeoutMs: number) {
  const setup = async (pg: Page): Promise<void> =>
    pg.evaluate(
      (servers) => {
        const w = window as unknown as Record<string, unknown>;
        (w.pc as RTCPeerConnection | undefined)?.close();
        const pc = new RTCPeerConnection({ iceServers: servers as RTCIceServer[] });
        w.pc = pc;
        w.candidates = [] as string[];
        w.open = false;
        pc.onicecandidate = (e) => e.candidate && (w.candidates as string[]).push(`${e.candidate.type} ${e.candidate.address}:${e.candidate.port}`);
        pc.ondatachannel = (e) => (e.channel.onopen = () => (w.open = true));
      },
      iceServers as unknown as { urls: string }[],
    );
  const gathered = `(pc) => new Promise((r) => { if (pc.iceGatheringState === 'complete') return r(); pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); setTimeout(r, 10000); })`;
  await setup(x);
  await setup(y);
  const offer = await x.evaluate(async (g) => {
    const w = window as unknown as { pc: RTCPeerConnection; open: boolean };
    const dc = w.pc.createDataChannel('check');
    dc.onopen = () => (w.open = true);
    await w.pc.setLocalDescription(await w.pc.createOffer());
    await (eval(g) as (pc: RTCPeerConnection) => Promise<void>)(w.pc);
    return w.pc.localDescription!.toJSON() as RTCSessionDescriptionInit;
  }, gathered);
  const started = Date.now();
  const answer = await y.evaluate(
    async ([o, g]) => {
      const w = window as unknown as { pc: RTCPeerConnection };
      await w.pc.setRemoteDescription(o);
      await w.pc.setLocalDescription(await w.pc.createAnswer());
      await (eval(g) as (pc: RTCPeerConnection) => Promise<void>)(w.pc);
      return w.pc.localDescription!.toJSON() as RTCSessionDescriptionInit;
    },
    [offer, gathered] as const,
  );
  await x.evaluate(async (a) => (window as unknown as { pc: RTCPeerConnection }).pc.setRemoteDescription(a), answer);
  const isOpen = (pg: Page): Promise<boolean> => pg.evaluate(() => (window as unknown as { open: boolean }).open);
  while (Date.now() - started < timeoutMs && !((await isOpen(x)) && (await isOpen(y)))) await new Promise((r) => setTimeout(r, 200));
  const connected = (await isOpen(x)) && (await isOpen(y));
  const ms = Date.now() - started;
  const pair = await x.evaluate(async () => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
    const stats = await pc.getStats();
    let local: string | undefined;
    let remote: string | undefined;
    stats.forEach((s: { type: string; selectedCandidatePairId?: string }) => {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
      const p = stats.get(s.selectedCandidatePairId) as { localCandidateId: string; remoteCandidateId: string };
      const l = stats.get(p.localCandidateId) as { candidateType: string; address: string; port: number };
      const r = stats.get(p.remoteCandidateId) as { candidateType: string; address: string; port: number };
      local = `${l.candidateType} ${l.address}:${l.port}`;
      remote = `${r.candidateType} ${r.address}:${r.port}`;
    });
    return { local, remote, state: pc.iceConnectionState };
  });
  const list = (pg: Page): Promise<string> => pg.evaluate(() => ((window as unknown as { candidates: string[] }).candidates ?? []).join(', '));
  const result = { connected, ms, ...pair, candidatesX: await list(x), candidatesY: await list(y) };
  await Promise.all([x, y].map((pg) => pg.evaluate(() => (window as unknown as { pc: RTCPeerConnection }).pc.close())));
  return result;
}

async function main(): Promise<void> {
  await checkFailedBuildCleansUp();
  let t = Date.now();
  const world = await buildWorld({ log: (l) => console.log(`     ${l}`) });
  current = world;
  console.log(
    `     built: ${Object.values(world.sites)
      .map((s: Site) => `${s.name} ${s.host.ip} behind ${s.publicIp} (${s.nat})`)
      .join('; ')} in ${since(t)}`,
  );
  let thrown: unknown;
  try {
    await checks(world);
  } catch (e) {
    thrown = e;
    check('checks ran to the end', false, String(e).split('\n').slice(0, 3).join(' / '));
  } finally {
    t = Date.now();
    await world.teardown();
    const teardownMs = Date.now() - t;
    const left = (await listNetns()).filter((n) => n.startsWith(world.prefix));
    const etcLeft = world.namespaces.filter((n) => existsSync(`/etc/netns/${n}`));
    check(
      '7 teardown leaves nothing',
      left.length === 0 && etcLeft.length === 0 && !existsSync(world.dir),
      `${teardownMs} ms; namespaces ${world.prefix}* left: ${left.length}; /etc/netns dirs left: ${etcLeft.length}; temp dir ${existsSync(world.dir) ? 'LEFT' : 'removed'}`,
    );
  }
  console.log(`${failures === 0 ? 'all checks passed' : `${failures} check(s) failed`} in ${since(t0)}${thrown ? ' (stopped early)' : ''}`);
  process.exitCode = failures === 0 ? 0 : 1;
}

// Interrupted: tear down (asynchronously: tsx SIGKILLs a child that stays busy for more than ~60 ms
// after a signal without answering it, which a synchronous cleanup in an exit hook would), then exit.
for (const [sig, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(sig, () => {
    console.log(`     ${sig}: tearing down`);
    void Promise.allSettled([current?.teardown()]).then(() => process.exit(code));
  });
}
main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
