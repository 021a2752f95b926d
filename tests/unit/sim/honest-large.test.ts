/** The simulator with more nodes (issue 4: 3 to 9), honest validators; see honest.test.ts. */
import { describe, it } from 'vitest';
import { runSeeds } from './batch';

describe('simulator, honest validators, larger networks', () => {
  it.each([
    [7, 5, 20],
    [8, 5, 15],
    [9, 7, 10],
  ])(
    '%i nodes, %i validators: %i seeds, no violation, every one live',
    async (nodes, validators, seeds) => {
      await runSeeds(`H${nodes}`, seeds, { nodes, validators });
    },
    300_000,
  );
});
