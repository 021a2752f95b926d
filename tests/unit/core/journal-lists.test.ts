/**
 * Issue 7 (memory): append-only lists whose undo is a length, the final
 * block's undo data dropped, and hex keys built in one piece. Behaviour is
 * what these tests pin; the figures are `npm run bench -- --only memory`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Journal, JournaledLists } from '../../../src/lib/core/journal';
import { toHex } from '../../../src/lib/core/bytes';
import { demoChain } from '../../../src/lib/core/demo';
import { TEST_PARAMS } from '../../../src/lib/core/params';

function inBlock(lists: JournaledLists, fn: () => void): Journal {
  const j = new Journal();
  lists.attach(j);
  try {
    fn();
  } finally {
    lists.attach(null);
  }
  j.seal();
  return j;
}

describe('JournaledLists', () => {
  it('property: appends in blocks, undone newest first, give back every earlier state exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.string({ maxLength: 4 })), { maxLength: 6 }), { maxLength: 8 }), (blocks) => {
        const lists = new JournaledLists();
        const states: string[] = [];
        const dump = () => JSON.stringify([...lists.entries()].map(([k, v]) => [k, [...v]]).sort());
        const journals: Journal[] = [];
        for (const b of blocks) {
          states.push(dump());
          journals.push(inBlock(lists, () => b.forEach(([k, v]) => lists.append(k, v))));
        }
        for (let i = journals.length - 1; i >= 0; i--) {
          journals[i]!.undo();
          expect(dump()).toBe(states[i]);
        }
      }),
    );
  });

  it('hands out copies: a list read before an append does not change', () => {
    const lists = new JournaledLists();
    inBlock(lists, () => lists.append('p', 'x'));
    const before = lists.get('p');
    inBlock(lists, () => lists.append('p', 'y'));
    expect(before).toEqual(['x']);
    expect(lists.get('p')).toEqual(['x', 'y']);
  });

  it('refuses an append outside a block', () => {
    expect(() => new JournaledLists().append('p', 'x')).toThrow(/outside a block/);
  });
});

describe('undo data below the final block', () => {
  it('is dropped when a block becomes final, and the chain still reorganises above it', () => {
    const { chain } = demoChain({ blocks: 12, seed: 'undo-final', params: TEST_PARAMS });
    expect(chain.undoHeld).toBe(13);
    chain.markFinal(chain.atHeight(8)!.key);
    expect(chain.undoHeld).toBe(1 + 4);
    chain.markFinal(chain.tip.key);
    expect(chain.undoHeld).toBe(1);
  });
});

describe('toHex', () => {
  it('property: equals the digit-by-digit form, for short and long inputs', () => {
    const slow = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(toHex(b)).toBe(slow(b));
      }),
    );
    const long = new Uint8Array(20_011).map((_, i) => (i * 7919) & 255);
    expect(toHex(long)).toBe(slow(long));
  });
});
