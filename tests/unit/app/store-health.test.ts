/**
 * What the person is told about stored blocks the node could not use at
 * start (app/status/store-health.ts, worded by status.ts): another
 * version's blocks apart from damaged ones, counted with the sound blocks
 * set aside behind them, from the lowest height, and the notice changes
 * once peers sent them back.
 */
import { describe, expect, it } from 'vitest';
import { storedBlocks, storedCodes, troubleOf } from '../../../src/lib/app/status/store-health';
import { describeStored } from '../../../src/lib/app/status/status';
import type { StoreHealth } from '../../../src/lib/node/types';
import { en } from '../../../src/lib/i18n/en';
import { hi } from '../../../src/lib/i18n/hi';

const bad = (key: string, height: number | null, code: string) => ({ key, height, code });
const health = (h: Partial<StoreHealth>): StoreHealth => ({ bad: [], detached: [], repaired: [], ...h });

describe('stored blocks the node could not use', () => {
  it('tells another version’s blocks (they decode badly or carry what this version does not know) from damaged ones', () => {
    expect(['BAD_ENCODING', 'BAD_VERSION', 'BAD_TX', 'BAD_PAYLOAD'].map(troubleOf)).toEqual(Array(4).fill('other-version'));
    expect(
      ['DIGEST_MISMATCH', 'KEY_MISMATCH', 'HEIGHT_MISMATCH', 'BAD_RECORD', 'MISSING_BLOCK', 'BAD_TX_ROOT', 'BAD_TX_SIGNATURE', 'NO_CONSENT'].map(troubleOf),
    ).toEqual(Array(8).fill('damaged'));
  });

  it('is silent for a healthy store and for a follower tab (no health)', () => {
    expect(storedBlocks(null)).toBeNull();
    expect(storedBlocks(health({}))).toBeNull();
    expect(describeStored(null, en.status)).toBeNull();
  });

  it('counts the blocks set aside with the cause of the lowest unusable block, from its height, codes once each', () => {
    const s = storedBlocks(
      health({
        bad: [bad('c', 9, 'BAD_TX_ROOT'), bad('a', 4, 'BAD_PAYLOAD'), bad('b', 6, 'BAD_PAYLOAD'), bad('d', null, 'BAD_RECORD')],
        detached: ['x', 'y', 'z'],
      }),
    );
    expect(s).toEqual({
      otherVersion: { blocks: 5, fromHeight: 4, codes: ['BAD_PAYLOAD'] },
      damaged: { blocks: 2, fromHeight: 9, codes: ['BAD_RECORD', 'BAD_TX_ROOT'] },
      repaired: 0,
    });
    expect(storedCodes(s!)).toEqual(['BAD_PAYLOAD', 'BAD_RECORD', 'BAD_TX_ROOT']);
    // Both causes are told, in both languages, with the count and the height.
    const words = describeStored(s, en.status)!;
    expect(words).toContain('This device holds 5 stored blocks (from height 4) that this version of medchain cannot read');
    expect(words).toContain('Nothing was deleted');
    expect(words).toContain('2 stored blocks were damaged (from height 9) and will be fetched again from peers.');
    const hindi = describeStored(s, hi.status)!;
    expect(hindi).toContain('इस डिवाइस पर 5 सहेजे गए ब्लॉक (ऊँचाई 4 से)');
    expect(hindi).toContain('दूसरे नोडों से फिर से लाए जाएँगे');
  });

  it('a damaged record of unknown height is still told, without a height', () => {
    const s = storedBlocks(health({ bad: [bad('d', null, 'BAD_RECORD')] }));
    expect(s?.damaged).toEqual({ blocks: 1, fromHeight: null, codes: ['BAD_RECORD'] });
    expect(describeStored(s, en.status)).toBe('1 stored block was damaged and will be fetched again from peers.');
  });

  it('stops counting what peers sent back, and says they came back once all did', () => {
    const some = storedBlocks(health({ bad: [bad('a', 3, 'DIGEST_MISMATCH'), bad('b', 7, 'KEY_MISMATCH')], detached: ['x'], repaired: ['a'] }));
    expect(some).toEqual({ otherVersion: null, damaged: { blocks: 2, fromHeight: 7, codes: ['KEY_MISMATCH'] }, repaired: 1 });
    const all = storedBlocks(health({ bad: [bad('a', 3, 'DIGEST_MISMATCH')], detached: ['x'], repaired: ['a', 'x'] }));
    expect(all).toEqual({ otherVersion: null, damaged: null, repaired: 2 });
    expect(describeStored(all, en.status)).toBe('2 stored blocks that could not be read came back from peers.');
    expect(describeStored(all, hi.status)).toBe('2 सहेजे गए ब्लॉक, जो पढ़े नहीं जा सके थे, दूसरे नोडों से वापस आ गए।');
  });

  it('one block of another version is told in the singular', () => {
    const s = storedBlocks(health({ bad: [bad('a', 2, 'BAD_ENCODING')] }));
    expect(describeStored(s, en.status)).toMatch(/^This device holds 1 stored block \(at height 2\) that this version/);
    expect(describeStored(s, hi.status)).toMatch(/^इस डिवाइस पर 1 सहेजा गया ब्लॉक \(ऊँचाई 2 पर\) है जिसे/);
  });
});
