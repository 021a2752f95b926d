/** The miner's shared suite in Node: the in-memory twin (with the default WebAssembly engine and with the plain loop), and the worker protocol over a MessageChannel (the same cases run in Chromium against the real Web Worker). */
import { describe, it } from 'vitest';
import { minerCases } from '../../../shared/miner-suite';
import { channelFixture, memoryFixture, plainMemoryFixture } from './fixtures';

describe('miner (memory twin): shared suite', () => {
  for (const c of minerCases.filter((x) => !x.channel)) it(c.name, () => c.run(memoryFixture), 30_000);
});

describe('miner (memory twin, plain loop engine): shared suite', () => {
  for (const c of minerCases.filter((x) => !x.channel)) it(c.name, () => c.run(plainMemoryFixture), 30_000);
});

describe('miner (worker protocol over a MessageChannel): shared suite', () => {
  for (const c of minerCases) it(c.name, () => c.run(channelFixture), 30_000);
});
