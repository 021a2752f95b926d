/**
 * The explorer's data (src/lib/app/explorer): block rows final / pending /
 * orphan from a real ChainState, block detail, the difficulty and
 * block-time series and their chart geometry, the mesh layout and the sync
 * target; and the status bar's view of a node (src/lib/app/node/status-source.ts).
 */
import { describe, expect, it } from 'vitest';
import { demoChain } from '../../../../src/lib/core/demo';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { blockTemplate, mineBlock } from '../../../../src/lib/core/template';
import { activeRows, blockDetail, kindName, orphanRows } from '../../../../src/lib/app/explorer/blocks';
import { bestHeight, placePeers } from '../../../../src/lib/app/explorer/mesh';
import { blockTimeSeries, chartGeometry, difficultySeries } from '../../../../src/lib/app/explorer/series';
import { barStatus } from '../../../../src/lib/app/node/status-source';
import { viewOf } from '../../../../src/lib/app/chain-view';
import { describeStatus } from '../../../../src/lib/app/status/status';
import type { LinkReport } from '../../../../src/lib/adapters/net/link-report';
import type { NodeStatus } from '../../../../src/lib/node/types';
import { en } from '../../../../src/lib/i18n/en';

/** The status lines in English, the words the bar gets from the catalogue when English is shown. */
const describeStatusEn = (s: Parameters<typeof describeStatus>[0]) => describeStatus(s, en.status, en.rules);

describe('explorer blocks', () => {
  it('lists the active chain tip first, final up to the final block and pending past it', () => {
    const { chain } = demoChain({ blocks: 10, seed: 'explorer/rows', params: TEST_PARAMS });
    chain.markFinal(chain.atHeight(6)!.key);
    const rows = activeRows(viewOf(chain), 5);
    expect(rows.map((r) => r.height)).toEqual([10, 9, 8, 7, 6]);
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'final']);
    expect(rows[0]!.txCount).toBe(chain.tip.block.txs.length);
    expect(activeRows(viewOf(chain)).length).toBe(11);
  });

  it('shows a block that lost to a final block as an orphan, and its detail', () => {
    const { chain } = demoChain({ blocks: 4, seed: 'explorer/orphan', params: TEST_PARAMS });
    const parent = chain.atHeight(3)!;
    // Block 4 is final; a rival to it with no transactions arrives later and is stale.
    chain.markFinal(chain.atHeight(4)!.key);
    const rival = mineBlock(blockTemplate(chain, parent, [], chain.tip.header.time + 1, new Uint8Array(32)));
    chain.addBlock(rival, rival.header.time);
    const orphans = orphanRows(viewOf(chain));
    expect(orphans).toHaveLength(1);
    expect(orphans[0]).toMatchObject({ height: 4, status: 'orphan', txCount: 0 });
    expect(blockDetail(viewOf(chain), orphans[0]!.key)?.row.status).toBe('orphan');
    const d = blockDetail(viewOf(chain), chain.atHeight(4)!.key)!;
    expect(d.row.status).toBe('final');
    expect(d.prevHash).toBe(parent.key);
    expect(d.txs.length).toBe(chain.atHeight(4)!.block.txs.length);
    expect(d.txs.every((t) => !t.kind.startsWith('kind '))).toBe(true);
    expect(blockDetail(viewOf(chain), '00'.repeat(32))).toBeNull();
    expect(kindName(99)).toBe('kind 99');
  });
});

describe('explorer charts', () => {
  it('difficulty is 1 at the easiest target and block times are parent-to-child seconds', () => {
    const { chain } = demoChain({ blocks: 30, seed: 'explorer/series', params: TEST_PARAMS });
    const d = difficultySeries(viewOf(chain));
    expect(d).toHaveLength(31);
    expect(d.every((p) => p.value > 0)).toBe(true);
    const t = blockTimeSeries(viewOf(chain));
    expect(t.map((p) => p.height)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(t[4]!.value).toBe(chain.atHeight(5)!.header.time - chain.atHeight(4)!.header.time);
    expect(blockTimeSeries(viewOf(chain), 5).map((p) => p.height)).toEqual([26, 27, 28, 29, 30]);
  });

  it('scales points into the box, first at the left edge and last at the right', () => {
    const g = chartGeometry(
      [
        { height: 10, value: 2 },
        { height: 11, value: 4 },
        { height: 12, value: 0 },
      ],
      200,
      100,
    );
    expect(g.path).toBe('M0.0 50.0 L100.0 0.0 L200.0 100.0');
    expect([g.minX, g.maxX, g.minY, g.maxY]).toEqual([10, 12, 0, 4]);
    expect(chartGeometry([], 200, 100).path).toBe('');
  });
});

describe('mesh and status', () => {
  const peer = (id: string, tipHeight: number, path: 'direct' | 'relayed' | null = 'direct') => ({
    id,
    role: 'hospital' as const,
    tipHeight,
    finalHeight: 0,
    path,
  });

  it('places peers around the centre and takes the best tip as the sync target', () => {
    const placed = placePeers([peer('a', 3), peer('b', 9)], 100, 100, 50);
    expect(placed[0]).toMatchObject({ x: 100, y: 50 });
    expect(placed[1]!.y).toBeCloseTo(150);
    expect(bestHeight(5, [peer('a', 3), peer('b', 9)])).toBe(9);
    expect(bestHeight(5, [])).toBe(5);
  });

  it('maps a node status to the bar: connected, syncing, unsynced writes', () => {
    const status: NodeStatus = { nodeId: 'ab', role: 'validator', height: 4, tipHash: 'x', finalHeight: 2, peers: 1, pending: 3, mining: true };
    const bar = barStatus({ status: () => status, peers: () => [peer('a', 12)], unsent: () => 1, links: () => null }, true);
    expect(bar).toEqual({
      source: 'node',
      browserOnline: true,
      connection: 'connected',
      peers: 1,
      relayedPeers: 0,
      turn: 'unknown',
      sync: { have: 4, target: 12 },
      mining: 'mining',
      unsynced: 1,
      failed: [],
    });
    // Own writes the chain dropped as invalid are reported as failed, with their rules (issue 13 #8).
    const dropped = barStatus({ status: () => status, peers: () => [peer('a', 12)], unsent: () => 0, failed: () => ['NO_CONSENT'], links: () => null }, true);
    expect(dropped).toMatchObject({ unsynced: 0, failed: ['NO_CONSENT'] });
    const alone = barStatus({ status: () => ({ ...status, mining: false }), peers: () => [], unsent: () => 1, links: () => null }, false);
    expect(alone).toMatchObject({ connection: 'offline', peers: 0, sync: { have: 4, target: 4 }, mining: 'waiting', unsynced: 3 });
  });

  it('says which peers are relayed through TURN, when no relay answers, and when known peers are out of reach', () => {
    const status: NodeStatus = { nodeId: 'ab', role: 'node', height: 4, tipHash: 'x', finalHeight: 2, peers: 0, pending: 0, mining: false };
    const relays = (state: 'open' | 'waiting') => [
      { url: 'wss://r1.example', state },
      { url: 'wss://r2.example', state: 'waiting' as const },
    ];
    const unreachable = { id: 'cd', state: 'unreachable' as const, path: null, failures: 2 };
    const node = (peers: ReturnType<typeof peer>[], links: LinkReport) => ({ status: () => status, peers: () => peers, unsent: () => 0, links: () => links });

    const mixed = barStatus(node([peer('a', 4), peer('b', 4, 'relayed')], { relays: relays('open'), turn: 'available', peers: [], blocked: false }), true);
    expect(mixed).toMatchObject({ connection: 'connected', peers: 2, relayedPeers: 1, turn: 'available' });
    expect(describeStatusEn(mixed).connection).toBe('Connected to 2 peers (1 through TURN)');

    const noTurn = barStatus(node([], { relays: relays('open'), turn: 'none', peers: [unreachable], blocked: true }), true);
    expect(noTurn.connection).toBe('blocked');
    expect(describeStatusEn(noTurn).connection).toBe('Peers cannot be reached: direct connection blocked and no TURN server configured');
    const turnDown = barStatus(node([], { relays: relays('open'), turn: 'available', peers: [unreachable], blocked: true }), true);
    expect(describeStatusEn(turnDown).connection).toBe('Peers cannot be reached: direct connection blocked and the TURN server does not relay');

    const noRelay = barStatus(node([], { relays: relays('waiting'), turn: 'unknown', peers: [], blocked: false }), true);
    expect(describeStatusEn(noRelay).connection).toBe('No relay reachable: cannot find peers, retrying');
    const searching = barStatus(node([], { relays: relays('open'), turn: 'unknown', peers: [], blocked: false }), true);
    expect(searching.connection).toBe('connecting');
  });
});
