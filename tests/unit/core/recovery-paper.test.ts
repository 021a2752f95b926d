/**
 * A printed recovery share's text (issue 15): it reads back to the same
 * share however it is typed, and a mistyped symbol is named, never turned
 * into another share (the combining library would not notice).
 */
import { describe, expect, it } from 'vitest';
import { PAPER_SYMBOLS, decodePaperShare, encodePaperShare } from '../../../src/lib/core/recovery-paper';
import { CROCKFORD } from '../../../src/lib/core/crockford';

const share = Uint8Array.from({ length: 33 }, (_, i) => (i * 37 + 11) & 255);

describe('a printed share', () => {
  it('reads back as printed, in lower case, without spaces or with dashes', () => {
    const text = encodePaperShare(share);
    expect(text.replace(/ /g, '')).toHaveLength(PAPER_SYMBOLS);
    for (const typed of [text, text.toLowerCase(), text.replace(/ /g, ''), text.replace(/ /g, '-')])
      expect(decodePaperShare(typed)).toEqual({ ok: true, share });
  });

  it('names every single-symbol typo, a wrong length, a bad character and nothing typed', () => {
    const symbols = encodePaperShare(share).replace(/ /g, '');
    for (let i = 0; i < symbols.length; i++) {
      const other = CROCKFORD[(CROCKFORD.indexOf(symbols[i]!) + 1) % 32]!;
      const typo = symbols.slice(0, i) + other + symbols.slice(i + 1);
      expect(decodePaperShare(typo)).toEqual({ ok: false, code: 'TYPO' });
    }
    expect(decodePaperShare(symbols.slice(1))).toEqual({ ok: false, code: 'BAD_LENGTH' });
    expect(decodePaperShare(`${symbols.slice(1)}U`)).toEqual({ ok: false, code: 'BAD_CHARACTER' });
    expect(decodePaperShare('  ')).toEqual({ ok: false, code: 'EMPTY' });
  });
});
