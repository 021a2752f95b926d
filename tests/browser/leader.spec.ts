/** Same-origin tabs are one node: one writer (Web Locks), followers told of new tips (BroadcastChannel). */
import { expect, test, type Page } from '@playwright/test';
import { harnessOf, openHarness } from './setup/fixtures';

type LeaderHarness = { start(n: string): void; role(): string | null; seen(): unknown[]; writeAndAnnounce(): Promise<unknown>; stop(): void };
const call = <K extends keyof LeaderHarness>(page: Page, name: K, ...args: Parameters<LeaderHarness[K]>) => harnessOf<LeaderHarness>(page)(name, ...args);

async function tab(page: Page, name: string): Promise<Page> {
  await openHarness(page, 'leader');
  await call(page, 'start', name);
  return page;
}

test('two tabs: exactly one leader; the follower re-reads the tip the leader wrote', async ({ context }) => {
  const a = await tab(await context.newPage(), 'one');
  await expect.poll(() => call(a, 'role')).toBe('leader');
  const b = await tab(await context.newPage(), 'one');
  // Give the follower every chance to (wrongly) take the lock.
  await b.waitForTimeout(300);
  expect([await call(a, 'role'), await call(b, 'role')]).toEqual(['leader', 'follower']);
  const tip = await call(a, 'writeAndAnnounce');
  await expect.poll(() => call(b, 'seen')).toEqual([tip]);
});

test('closing the leader’s tab hands over; stop() hands over too', async ({ context }) => {
  const a = await tab(await context.newPage(), 'two');
  await expect.poll(() => call(a, 'role')).toBe('leader');
  const b = await tab(await context.newPage(), 'two');
  const c = await tab(await context.newPage(), 'two');
  await a.close();
  await expect.poll(async () => [await call(b, 'role'), await call(c, 'role')].sort()).toEqual(['follower', 'leader']);
  const [leader, follower] = (await call(b, 'role')) === 'leader' ? [b, c] : [c, b];
  await call(leader, 'stop');
  await expect.poll(() => call(follower, 'role')).toBe('leader');
  expect(await call(leader, 'role')).toBe('follower');
});

test('different networks elect separately', async ({ context }) => {
  const a = await tab(await context.newPage(), 'three');
  const b = await tab(await context.newPage(), 'four');
  await expect.poll(async () => [await call(a, 'role'), await call(b, 'role')]).toEqual(['leader', 'leader']);
});
