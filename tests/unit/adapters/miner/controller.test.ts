/**
 * The mining controller over the in-memory twin, with the twin's tasks queued
 * by hand so a find can be held "in flight" while the tip moves, exactly as a
 * worker's message crosses a new job.
 */
import { describe, expect, it } from 'vitest';
import type { Block } from '../../../../src/lib/core/block';
import { blockHash } from '../../../../src/lib/core/block';
import type { ChainState } from '../../../../src/lib/core/chain';
import { checkProofOfWork } from '../../../../src/lib/core/pow';
import { MiningController } from '../../../../src/lib/adapters/miner/controller';
import { MemoryMiner } from '../../../../src/lib/adapters/miner/memory';
import { record, until } from '../../../shared/miner-suite';
import { MINER_A, MINER_B, NOW, addOk, extend, newChain, recordTx, txKey } from '../../core/helpers';
import { channelMiner } from './fixtures';

/** Tasks the twin schedules, run when the test says. */
function taskQueue() {
  const q: (() => void)[] = [];
  return {
    schedule: (task: () => void) => void q.push(task),
    /** Runs up to `n` tasks (those they schedule included). */
    run(n = 10_000) {
      while (q.length > 0 && n-- > 0) q.shift()!();
    },
    get size() {
      return q.length;
    },
  };
}

function setup(options: { noncesPerJob?: number } = {}) {
  const chain = newChain();
  const tasks = taskQueue();
  const miner = new MemoryMiner({ schedule: tasks.schedule });
  const log = record(miner);
  const blocks: Block[] = [];
  const clock = { now: NOW };
  const controller = new MiningController({
    chain,
    miner,
    minerKey: MINER_A.pub,
    now: () => clock.now,
    onBlock: (b) => blocks.push(b),
    ...options,
  });
  return { chain, tasks, miner, log, blocks, clock, controller };
}

function pend(chain: ChainState, time = NOW - 10) {
  const tx = recordTx(time);
  expect(chain.addPendingTx(tx, NOW).status).toBe('added');
  return tx;
}

const valid = (b: Block) => checkProofOfWork(blockHash(b), b.header.bits);

describe('mining controller', () => {
  it('stays idle with nothing pending, even when enabled', () => {
    const { controller, miner, tasks } = setup();
    controller.setEnabled(true);
    expect(controller.mining).toBe(false);
    expect(miner.state).toBe('idle');
    expect(tasks.size).toBe(0);
  });

  it('mines a block carrying the pending transactions, which the chain accepts', () => {
    const { chain, controller, tasks, blocks, miner } = setup();
    const tx = pend(chain);
    controller.setEnabled(true);
    expect(controller.mining).toBe(true);
    expect(miner.state).toBe('mining');
    tasks.run();
    expect(blocks).toHaveLength(1);
    const block = blocks[0]!;
    expect(valid(block)).toBe(true);
    expect(block.txs.map(txKey)).toEqual([txKey(tx)]);
    expect(block.header.prevHash).toEqual(chain.tip.hash);
    expect(controller.mining).toBe(false);
    addOk(chain, block);
    controller.update();
    expect(controller.mining).toBe(false); // the transaction is confirmed: nothing left to mine
  });

  it('mines only while the node wants to; turning it off stops the miner', () => {
    const { chain, controller, tasks, blocks, miner } = setup();
    pend(chain);
    controller.update();
    expect(controller.mining).toBe(false);
    controller.setEnabled(true);
    expect(controller.mining).toBe(true);
    controller.setEnabled(false);
    expect(controller.mining).toBe(false);
    expect(miner.state).toBe('idle');
    tasks.run();
    expect(blocks).toHaveLength(0);
  });

  it('is not mining once its miner has closed (a failed worker closes itself)', () => {
    const { chain, controller, miner } = setup();
    pend(chain);
    controller.setEnabled(true);
    expect(controller.mining).toBe(true);
    miner.close();
    expect(controller.mining).toBe(false);
  });

  it('keeps the job while nothing changed; a new pending transaction rebuilds it', () => {
    const { chain, controller, tasks, blocks } = setup();
    const a = pend(chain, NOW - 20);
    controller.setEnabled(true);
    const first = controller.current!.id;
    controller.update();
    expect(controller.current!.id).toBe(first);
    const b = pend(chain, NOW - 10);
    controller.update();
    expect(controller.current!.id).toBeGreaterThan(first);
    expect(controller.current!.txKeys).toEqual([txKey(a), txKey(b)]);
    tasks.run();
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.txs.map(txKey)).toEqual([txKey(a), txKey(b)]);
  });

  it('a new tip restarts mining on it, and a find for the old job is discarded', () => {
    const { chain, controller, tasks, blocks, log, clock } = setup();
    pend(chain);
    controller.setEnabled(true);
    const oldJob = controller.current!;
    tasks.run(1); // one batch: the old job's find is now in flight
    expect(log.found).toHaveLength(0);
    const other = addOk(chain, extend(chain, chain.tip, { miner: MINER_B })); // a peer's block, no transactions
    controller.update();
    const newJob = controller.current!;
    expect(newJob.id).toBeGreaterThan(oldJob.id);
    expect(newJob.tipKey).toBe(other.key);
    clock.now += 1; // any job after this one would have another header
    tasks.run();
    expect(log.found.map((f) => f.jobId)).toEqual([oldJob.id, newJob.id]);
    expect(controller.discarded).toBe(1);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.header.prevHash).toEqual(other.hash);
    expect(blocks[0]!.header.nonce).toBe(log.found[1]!.nonce);
    addOk(chain, blocks[0]!);
  });

  it('a find arriving after mining was turned off is discarded', () => {
    const { chain, controller, tasks, blocks, log } = setup();
    pend(chain);
    controller.setEnabled(true);
    tasks.run(1);
    controller.setEnabled(false);
    tasks.run();
    expect(log.found).toHaveLength(1);
    expect(controller.discarded).toBe(1);
    expect(blocks).toHaveLength(0);
  });

  it('an exhausted nonce range moves the template time on', () => {
    const { chain, controller, tasks, blocks, log } = setup({ noncesPerJob: 1 });
    pend(chain);
    controller.setEnabled(true);
    const times: number[] = [controller.current!.template.header.time];
    while (blocks.length === 0 && tasks.size > 0) {
      tasks.run(1);
      const t = controller.current?.template.header.time;
      if (t !== undefined && t !== times.at(-1)) times.push(t);
    }
    expect(log.exhausted.length).toBeGreaterThan(0);
    expect(times.length).toBe(log.exhausted.length + 1);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBe(times[i - 1]! + 1);
    expect(blocks[0]!.header.time).toBe(times.at(-1));
    addOk(chain, blocks[0]!, NOW + times.length);
  });

  it('a worker report whose proof of work fails is discarded and the job rebuilt', async () => {
    const chain = newChain();
    pend(chain);
    const { miner, fromWorker } = channelMiner();
    const blocks: Block[] = [];
    const controller = new MiningController({ chain, miner, minerKey: MINER_A.pub, now: () => NOW, onBlock: (b) => blocks.push(b) });
    controller.setEnabled(true);
    const job = controller.current!;
    let nonce = 0;
    while (valid({ header: { ...job.template.header, nonce }, txs: [] })) nonce++;
    fromWorker!({ kind: 'found', found: { jobId: job.id, nonce, hash: new Uint8Array(32), tried: 1 } });
    expect(controller.discarded).toBe(1);
    expect(controller.current!.id).toBeGreaterThan(job.id);
    await until(() => blocks.length > 0, 'a block');
    expect(valid(blocks[0]!)).toBe(true);
    addOk(chain, blocks[0]!);
    controller.close();
    miner.close();
  });
});
