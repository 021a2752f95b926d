/**
 * Fuzzing the chain's own encodings (issue 13), which peers send inside
 * blocks, transactions and headers and files carry: decodeTx, decodeBlock,
 * decodeHeader, and decodePayload for every transaction kind.
 *
 * Budgets (support/decoder-suite.ts):
 * - throws: only DecodeError;
 * - canonical: encode(decode(b)) = b for every accepted b;
 * - memory: the decoded value holds ≤ 1 byte per input byte + 16 (bytes,
 *   strings, one per list item or field); no copy longer
 *   than the input is made, whatever a length or count claims;
 * - CPU: ≤ 6 Reader operations per input byte + 8.
 */
import { describe } from 'vitest';
import { decodeBlock, encodeBlock } from '../../../src/lib/core/block';
import { decodeHeader, encodeHeader } from '../../../src/lib/core/header';
import { decodePayload, encodePayload } from '../../../src/lib/core/payloads';
import { TxKind, decodeTx, encodeTx } from '../../../src/lib/core/tx';
import { decoderProperties } from './support/decoder-suite';
import { BLOCKS, HEADERS, KINDS, PAYLOADS, TXS } from './support/samples';

describe('fuzz: decodeTx', () => {
  decoderProperties({ decode: decodeTx, encode: encodeTx, seeds: TXS.map(encodeTx) });
});

describe('fuzz: decodeBlock', () => {
  decoderProperties({ decode: decodeBlock, encode: encodeBlock, seeds: BLOCKS.map(encodeBlock), runs: { mutants: 400 } });
});

describe('fuzz: decodeHeader', () => {
  decoderProperties({ decode: decodeHeader, encode: encodeHeader, seeds: HEADERS.map(encodeHeader), runs: { mutants: 300 } });
});

for (const kind of KINDS) {
  const name = Object.entries(TxKind).find(([, k]) => k === kind)![0];
  describe(`fuzz: decodePayload(${name})`, () => {
    decoderProperties({
      decode: (b) => decodePayload(kind, b),
      encode: encodePayload,
      seeds: [encodePayload(PAYLOADS[kind])],
      runs: { random: 100, mutants: 200 },
    });
  });
}
