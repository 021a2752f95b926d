/**
 * The chain's primitives (SPEC §5): header, transaction and block encodings,
 * the transactions root, proof of work, Ed25519 signatures and the seeded PRNG.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Writer } from '../../../src/lib/core/encoding';
import { AssertionError } from '../../../src/lib/core/assert';
import { bigIntToBytes, bytesEqual, bytesToBigInt, compareBytes, concatBytes, fromHex, hexToBytes, toHex, utf8 } from '../../../src/lib/core/bytes';
import { HASH_BYTES, ZERO_HASH, sha256, taggedHash } from '../../../src/lib/core/hash';
import { type BlockHeader, HEADER_BYTES, HEADER_VERSION, NONCE_OFFSET, decodeHeader, encodeHeader, headerHash } from '../../../src/lib/core/header';
import {
  type Tx,
  type TxBody,
  MAX_PAYLOAD_BYTES,
  TX_VERSION,
  TxKind,
  decodeTx,
  encodeTx,
  encodeTxBody,
  isTxKind,
  txId,
  txSigningMessage,
} from '../../../src/lib/core/tx';
import { type Block, MAX_BLOCK_TXS, blockHash, decodeBlock, encodeBlock, txRootOf } from '../../../src/lib/core/block';
import { merkleRoot } from '../../../src/lib/core/merkle';
import { MAX_NONCE, checkProofOfWork, hashMeetsTarget, mineStep, targetBytes } from '../../../src/lib/core/pow';
import { targetFromBits } from '../../../src/lib/core/compact';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { nobleVerifier, publicKeyOf, sign } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { Prng } from '../../../src/lib/core/prng';
import { decodeCode } from './codes';

const h = (s: string) => hexToBytes(s);
const filled = (n: number, b: number) => new Uint8Array(n).fill(b);
const u32be = (v: number) => new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);

// --- arbitraries -----------------------------------------------------------

const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const safe = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

const headerArb: fc.Arbitrary<BlockHeader> = fc.record({
  version: fc.constant(HEADER_VERSION),
  height: u32,
  prevHash: hash32,
  txRoot: hash32,
  time: safe,
  bits: u32,
  miner: hash32,
  nonce: u32,
});

const kindArb = fc.constantFrom(...(Object.values(TxKind) as TxKind[]));
const txArb: fc.Arbitrary<Tx> = fc.record({
  version: fc.constant(TX_VERSION),
  kind: kindArb,
  author: hash32,
  nonce: safe,
  time: safe,
  payload: fc.uint8Array({ maxLength: 200 }),
  signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
});
const blockArb: fc.Arbitrary<Block> = fc.record({ header: headerArb, txs: fc.array(txArb, { maxLength: 5 }) });

const sampleHeader: BlockHeader = {
  version: HEADER_VERSION,
  height: 0x01020304,
  prevHash: filled(32, 0xaa),
  txRoot: filled(32, 0xbb),
  time: 0x0000_1234_5678_9abc,
  bits: 0x2000ffff,
  miner: filled(32, 0xcc),
  nonce: 0xdeadbeef,
};

const sampleTx: Tx = {
  version: TX_VERSION,
  kind: TxKind.AddRecord,
  author: filled(32, 0x11),
  nonce: 42,
  time: 1_700_000_000,
  payload: utf8('payload'),
  signature: filled(64, 0x22),
};

// --- bytes and hashes --------------------------------------------------------

describe('bytes and hash helpers', () => {
  it('hex round-trips and refuses malformed hex', () => {
    expect(toHex(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0001abff');
    expect(fromHex('0001ABff')).toEqual(new Uint8Array([0, 1, 0xab, 0xff]));
    expect(fromHex('')).toEqual(new Uint8Array());
    for (const bad of ['0', 'abc', 'zz', '0x00', ' 00', '0g']) expect(fromHex(bad)).toBeNull();
    expect(() => hexToBytes('xyz')).toThrow(AssertionError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b);
      }),
    );
  });

  it('compareBytes is lexicographic, bytesEqual exact, concatBytes concatenates', () => {
    const a = new Uint8Array([1, 2]);
    expect(compareBytes(a, new Uint8Array([1, 3]))).toBeLessThan(0);
    expect(compareBytes(new Uint8Array([2]), a)).toBeGreaterThan(0);
    expect(compareBytes(a, new Uint8Array([1, 2, 0]))).toBeLessThan(0);
    expect(compareBytes(a, new Uint8Array([1, 2]))).toBe(0);
    expect(bytesEqual(a, new Uint8Array([1, 2]))).toBe(true);
    expect(bytesEqual(a, new Uint8Array([1, 2, 3]))).toBe(false);
    expect(bytesEqual(a, new Uint8Array([1, 3]))).toBe(false);
    expect(concatBytes(a, new Uint8Array(), new Uint8Array([3]))).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('bigint <-> big-endian bytes, asserting the width', () => {
    expect(bigIntToBytes(0x0102n, 4)).toEqual(new Uint8Array([0, 0, 1, 2]));
    expect(bytesToBigInt(new Uint8Array([0, 0, 1, 2]))).toBe(0x0102n);
    expect(() => bigIntToBytes(1n << 32n, 4)).toThrow(AssertionError);
    expect(() => bigIntToBytes(-1n, 4)).toThrow(AssertionError);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (v) => {
        expect(bytesToBigInt(bigIntToBytes(v, 32))).toBe(v);
      }),
    );
  });

  it('sha256 is SHA-256; taggedHash is sha256(len(tag) ‖ tag ‖ data)', () => {
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(new Uint8Array()))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const tag = utf8('medchain/tx');
    expect(taggedHash('medchain/tx', utf8('a'), utf8('b'))).toEqual(sha256(concatBytes(new Uint8Array([tag.length]), tag, utf8('ab'))));
    // Different tags separate domains.
    expect(bytesEqual(taggedHash('a', utf8('x')), taggedHash('b', utf8('x')))).toBe(false);
    expect(HASH_BYTES).toBe(32);
    expect(ZERO_HASH).toEqual(new Uint8Array(32));
  });
});

// --- header ------------------------------------------------------------------

describe('block header', () => {
  it('is 118 bytes with the documented layout, nonce last', () => {
    expect(HEADER_BYTES).toBe(118);
    expect(NONCE_OFFSET).toBe(114);
    const b = encodeHeader(sampleHeader);
    expect(b.length).toBe(HEADER_BYTES);
    expect(toHex(b.subarray(0, 2))).toBe('0001'); // version
    expect(toHex(b.subarray(2, 6))).toBe('01020304'); // height
    expect(b.subarray(6, 38)).toEqual(filled(32, 0xaa)); // previous hash
    expect(b.subarray(38, 70)).toEqual(filled(32, 0xbb)); // transactions root
    expect(toHex(b.subarray(70, 78))).toBe('0000123456789abc'); // time
    expect(toHex(b.subarray(78, 82))).toBe('2000ffff'); // bits
    expect(b.subarray(82, 114)).toEqual(filled(32, 0xcc)); // miner
    expect(toHex(b.subarray(NONCE_OFFSET))).toBe('deadbeef'); // nonce
    // Midstate mining: the nonce lies in the second SHA-256 block, and header + padding fits in two.
    expect(NONCE_OFFSET).toBeGreaterThanOrEqual(64);
    expect(HEADER_BYTES + 1 + 8).toBeLessThanOrEqual(128);
  });

  it('property: decode(encode(h)) == h, 118 bytes, nonce at NONCE_OFFSET', () => {
    fc.assert(
      fc.property(headerArb, (hd) => {
        const b = encodeHeader(hd);
        expect(b.length).toBe(HEADER_BYTES);
        expect(b.subarray(NONCE_OFFSET, NONCE_OFFSET + 4)).toEqual(u32be(hd.nonce));
        expect(decodeHeader(b)).toEqual(hd);
        expect(encodeHeader(decodeHeader(b))).toEqual(b);
        expect(headerHash(hd)).toEqual(sha256(b));
      }),
    );
  });

  it('property: changing the nonce changes only the four bytes at NONCE_OFFSET', () => {
    fc.assert(
      fc.property(headerArb, u32, (hd, nonce) => {
        const a = encodeHeader(hd);
        const b = encodeHeader({ ...hd, nonce });
        expect(b.subarray(0, NONCE_OFFSET)).toEqual(a.subarray(0, NONCE_OFFSET));
        expect(b.subarray(NONCE_OFFSET)).toEqual(u32be(nonce));
      }),
    );
  });

  it('the hash covers every field', () => {
    const base = toHex(headerHash(sampleHeader));
    const changed: Partial<BlockHeader>[] = [
      { height: sampleHeader.height + 1 },
      { prevHash: filled(32, 0xab) },
      { txRoot: filled(32, 0xbc) },
      { time: sampleHeader.time + 1 },
      { bits: (sampleHeader.bits ^ 1) >>> 0 },
      { miner: filled(32, 0xcd) },
      { nonce: (sampleHeader.nonce ^ 1) >>> 0 },
    ];
    for (const c of changed) expect(toHex(headerHash({ ...sampleHeader, ...c }))).not.toBe(base);
  });

  it('unknown header version → BAD_VERSION', () => {
    for (const version of [0, 2, 0xffff]) {
      const b = encodeHeader({ ...sampleHeader, version });
      expect(decodeCode(() => decodeHeader(b))).toBe('BAD_VERSION');
    }
  });

  it('short, long and out-of-range headers are refused with their codes', () => {
    const b = encodeHeader(sampleHeader);
    for (let n = 0; n < b.length; n++) expect(decodeCode(() => decodeHeader(b.slice(0, n)))).toBe('TRUNCATED');
    expect(decodeCode(() => decodeHeader(concatBytes(b, new Uint8Array([0]))))).toBe('TRAILING_BYTES');
    const bad = b.slice();
    bad[70] = 0xff; // time above 2^53-1
    expect(decodeCode(() => decodeHeader(bad))).toBe('OUT_OF_RANGE');
  });

  it('encoding a malformed header is our misuse (AssertionError)', () => {
    expect(() => encodeHeader({ ...sampleHeader, prevHash: new Uint8Array(31) })).toThrow(AssertionError);
    expect(() => encodeHeader({ ...sampleHeader, miner: new Uint8Array(33) })).toThrow(AssertionError);
    expect(() => encodeHeader({ ...sampleHeader, nonce: 2 ** 32 })).toThrow(AssertionError);
    expect(() => encodeHeader({ ...sampleHeader, time: 2 ** 53 })).toThrow(AssertionError);
  });
});

// --- transactions ----------------------------------------------------------------

describe('transactions', () => {
  it('property: decode(encode(tx)) == tx and encode(decode(b)) == b', () => {
    fc.assert(
      fc.property(txArb, (tx) => {
        const b = encodeTx(tx);
        expect(decodeTx(b)).toEqual(tx);
        expect(encodeTx(decodeTx(b))).toEqual(b);
        // The body is the signed prefix; the signature is the last 64 bytes.
        expect(b.subarray(0, b.length - 64)).toEqual(encodeTxBody(tx));
        expect(b.subarray(b.length - 64)).toEqual(tx.signature);
      }),
    );
  });

  it('property: the id excludes the signature', () => {
    fc.assert(
      fc.property(txArb, fc.uint8Array({ minLength: 64, maxLength: 64 }), (tx, sig) => {
        expect(txId({ ...tx, signature: sig } as TxBody)).toEqual(txId(tx));
        expect(txId(tx)).toEqual(taggedHash('medchain/tx', encodeTxBody(tx)));
      }),
    );
  });

  it('changing any body field changes the id', () => {
    const base = toHex(txId(sampleTx));
    const changed: Partial<Tx>[] = [
      { version: 2 },
      { kind: TxKind.GrantConsent },
      { author: filled(32, 0x12) },
      { nonce: 43 },
      { time: sampleTx.time + 1 },
      { payload: utf8('payloae') },
      { payload: utf8('payload\0') },
      { payload: new Uint8Array() },
    ];
    for (const c of changed) expect(toHex(txId({ ...sampleTx, ...c }))).not.toBe(base);
  });

  it('property: distinct bodies have distinct ids', () => {
    fc.assert(
      fc.property(txArb, txArb, (a, b) => {
        if (bytesEqual(encodeTxBody(a), encodeTxBody(b))) return;
        expect(bytesEqual(txId(a), txId(b))).toBe(false);
      }),
    );
  });

  it('the signing message is domain-separated from the id and binds the network (two fixed 32-byte fields)', () => {
    const id = txId(sampleTx);
    const network = sha256(utf8('a network'));
    const msg = txSigningMessage(network, id);
    expect(msg).toEqual(taggedHash('medchain/tx-signature/v2', concatBytes(network, id)));
    expect(bytesEqual(msg, id)).toBe(false);
    expect(bytesEqual(msg, txSigningMessage(sha256(utf8('another network')), id))).toBe(false);
  });

  it('unknown tx kind → UNKNOWN_KIND; unknown tx version → BAD_VERSION', () => {
    for (const kind of [0, 27, 0x7f, 0xff]) {
      expect(isTxKind(kind)).toBe(false);
      const b = encodeTx(sampleTx);
      b[1] = kind;
      expect(decodeCode(() => decodeTx(b))).toBe('UNKNOWN_KIND');
    }
    for (const k of Object.values(TxKind)) expect(isTxKind(k)).toBe(true);
    for (const version of [0, 2, 0xff]) {
      const b = encodeTx(sampleTx);
      b[0] = version;
      expect(decodeCode(() => decodeTx(b))).toBe('BAD_VERSION');
    }
  });

  it('truncated, trailing and oversized transactions are refused with their codes', () => {
    const b = encodeTx(sampleTx);
    for (let n = 0; n < b.length; n++) expect(decodeCode(() => decodeTx(b.slice(0, n)))).toBe('TRUNCATED');
    expect(decodeCode(() => decodeTx(concatBytes(b, new Uint8Array([1]))))).toBe('TRAILING_BYTES');
    // A payload length above the hard ceiling, with no payload behind it.
    const w = new Writer().u8(TX_VERSION).u8(TxKind.AddRecord).fixed(filled(32, 1), 32).u64(1).u64(2);
    w.varuint(MAX_PAYLOAD_BYTES + 1);
    expect(decodeCode(() => decodeTx(w.finish()))).toBe('OVERSIZE');
    const w2 = new Writer().u8(TX_VERSION).u8(TxKind.AddRecord).fixed(filled(32, 1), 32).u64(1).u64(2);
    w2.varuint(2 ** 40);
    expect(decodeCode(() => decodeTx(w2.finish()))).toBe('OVERSIZE');
  });
});

// --- blocks ------------------------------------------------------------------

describe('blocks', () => {
  it('property: decode(encode(block)) == block and encode(decode(b)) == b', () => {
    fc.assert(
      fc.property(blockArb, (blk) => {
        const b = encodeBlock(blk);
        expect(decodeBlock(b)).toEqual(blk);
        expect(encodeBlock(decodeBlock(b))).toEqual(b);
        expect(b.subarray(0, HEADER_BYTES)).toEqual(encodeHeader(blk.header));
        expect(blockHash(blk)).toEqual(headerHash(blk.header));
        expect(txRootOf(blk.txs)).toEqual(merkleRoot(blk.txs.map(txId)));
      }),
      { numRuns: 50 },
    );
  });

  it('refuses truncated blocks, trailing bytes and transaction counts above the ceiling', () => {
    const blk: Block = { header: sampleHeader, txs: [sampleTx, { ...sampleTx, nonce: 7 }] };
    const b = encodeBlock(blk);
    for (let n = 0; n < b.length; n++) expect(decodeCode(() => decodeBlock(b.slice(0, n)))).toBe('TRUNCATED');
    expect(decodeCode(() => decodeBlock(concatBytes(b, new Uint8Array([0]))))).toBe('TRAILING_BYTES');
    const over = new Writer()
      .fixed(encodeHeader(sampleHeader), HEADER_BYTES)
      .varuint(MAX_BLOCK_TXS + 1)
      .finish();
    expect(decodeCode(() => decodeBlock(over))).toBe('OVERSIZE');
    const huge = new Writer()
      .fixed(encodeHeader(sampleHeader), HEADER_BYTES)
      .varuint(2 ** 40)
      .finish();
    expect(decodeCode(() => decodeBlock(huge))).toBe('OVERSIZE');
    // A bad transaction inside a block carries its own code.
    const badKind = b.slice();
    badKind[HEADER_BYTES + 1 + 1] = 0;
    expect(decodeCode(() => decodeBlock(badKind))).toBe('UNKNOWN_KIND');
  });

  it('an empty block round-trips', () => {
    const blk: Block = { header: sampleHeader, txs: [] };
    const b = encodeBlock(blk);
    expect(b.length).toBe(HEADER_BYTES + 1);
    expect(decodeBlock(b)).toEqual(blk);
  });
});

// --- merkle root -------------------------------------------------------------------

describe('merkleRoot', () => {
  const ids = Array.from({ length: 8 }, (_, i) => sha256(new Uint8Array([i])));
  const [a, b, c, d, e] = ids as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  const leaf = (x: Uint8Array) => taggedHash('medchain/merkle-leaf', x);
  const node = (l: Uint8Array, r: Uint8Array) => taggedHash('medchain/merkle-node', l, r);

  it('empty list: the tagged empty root', () => {
    expect(merkleRoot([])).toEqual(taggedHash('medchain/merkle-empty'));
  });

  it('single id: its leaf hash, not the id itself', () => {
    expect(merkleRoot([a])).toEqual(leaf(a));
    expect(bytesEqual(merkleRoot([a]), a)).toBe(false);
  });

  it('pairs, and carries an odd node up unchanged', () => {
    expect(merkleRoot([a, b])).toEqual(node(leaf(a), leaf(b)));
    expect(merkleRoot([a, b, c])).toEqual(node(node(leaf(a), leaf(b)), leaf(c)));
    expect(merkleRoot([a, b, c, d])).toEqual(node(node(leaf(a), leaf(b)), node(leaf(c), leaf(d))));
    expect(merkleRoot([a, b, c, d, e])).toEqual(node(node(node(leaf(a), leaf(b)), node(leaf(c), leaf(d))), leaf(e)));
  });

  it('order matters, and [a,b,c] differs from [a,b,c,c] (no CVE-2012-2459)', () => {
    expect(bytesEqual(merkleRoot([a, b]), merkleRoot([b, a]))).toBe(false);
    expect(bytesEqual(merkleRoot([a, b, c]), merkleRoot([a, b, c, c]))).toBe(false);
    expect(bytesEqual(merkleRoot([a, b, c, d, e]), merkleRoot([a, b, c, d, e, e]))).toBe(false);
    expect(bytesEqual(merkleRoot([a]), merkleRoot([a, a]))).toBe(false);
    // A leaf never equals an inner node: [a,b]'s root is not the single-leaf root of anything we can name.
    expect(bytesEqual(merkleRoot([node(leaf(a), leaf(b))]), merkleRoot([a, b]))).toBe(false);
  });

  it('property: distinct id lists (of any lengths) have distinct roots', () => {
    const idList = fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 9 }).map((xs) => xs.map((x) => ids[x]!));
    fc.assert(
      fc.property(idList, idList, (x, y) => {
        const same = x.length === y.length && x.every((v, i) => bytesEqual(v, y[i]!));
        expect(bytesEqual(merkleRoot(x), merkleRoot(y))).toBe(same);
      }),
    );
  });

  it('property: a reference implementation agrees for 0..33 leaves', () => {
    const reference = (xs: Uint8Array[]): Uint8Array => {
      if (xs.length === 0) return taggedHash('medchain/merkle-empty');
      let level = xs.map(leaf);
      while (level.length > 1) {
        const next: Uint8Array[] = [];
        for (let i = 0; i + 1 < level.length; i += 2) next.push(node(level[i]!, level[i + 1]!));
        if (level.length % 2 === 1) next.push(level[level.length - 1]!);
        level = next;
      }
      return level[0]!;
    };
    fc.assert(
      fc.property(fc.array(hash32, { maxLength: 33 }), (xs) => {
        expect(merkleRoot(xs)).toEqual(reference(xs));
      }),
      { numRuns: 50 },
    );
  });
});

// --- proof of work -----------------------------------------------------------------

describe('proof of work', () => {
  const easyBits = TEST_PARAMS.genesisBits; // about 1 in 256 hashes
  const easyTarget = targetBytes(targetFromBits(easyBits)!);
  const impossible = new Uint8Array(32); // only the all-zero hash meets it

  it('hashMeetsTarget is hash ≤ target, big-endian', () => {
    const t = h('00000000ffff0000000000000000000000000000000000000000000000000000');
    expect(hashMeetsTarget(t, t)).toBe(true);
    const below = t.slice();
    below[31] = 0;
    below[5] = 0xfe;
    expect(hashMeetsTarget(below, t)).toBe(true);
    const above = t.slice();
    above[31] = 1;
    expect(hashMeetsTarget(above, t)).toBe(false);
    expect(hashMeetsTarget(filled(32, 0xff), t)).toBe(false);
    expect(targetBytes(0x1234n)).toEqual(concatBytes(new Uint8Array(30), new Uint8Array([0x12, 0x34])));
  });

  it('checkProofOfWork compares with the target of the bits; false for invalid bits', () => {
    const target = targetFromBits(0x1d00ffff)!;
    expect(checkProofOfWork(targetBytes(target), 0x1d00ffff)).toBe(true);
    expect(checkProofOfWork(targetBytes(target + 1n), 0x1d00ffff)).toBe(false);
    expect(checkProofOfWork(new Uint8Array(32), 0x1d00ffff)).toBe(true);
    for (const bits of [0, 0x04923456, 0xff123456, 0x1d000000]) expect(checkProofOfWork(new Uint8Array(32), bits)).toBe(false);
  });

  it('mineStep finds the first nonce meeting the target, and checkProofOfWork agrees', () => {
    const hd = { ...sampleHeader, bits: easyBits, nonce: 0 };
    const r = mineStep(encodeHeader(hd), easyTarget, 0, 100_000);
    expect(r.found).toBe(true);
    if (!r.found) return;
    const mined = { ...hd, nonce: r.nonce };
    expect(r.hash).toEqual(headerHash(mined));
    expect(checkProofOfWork(r.hash, easyBits)).toBe(true);
    expect(r.tried).toBe(r.nonce + 1);
    // No earlier nonce meets it.
    for (let n = 0; n < r.nonce; n++) expect(checkProofOfWork(headerHash({ ...hd, nonce: n }), easyBits)).toBe(false);
    // Starting past it finds a later one.
    const again = mineStep(encodeHeader(hd), easyTarget, r.nonce + 1, 100_000);
    expect(again.found && again.nonce > r.nonce).toBe(true);
  });

  it('property: a found hash is the header hash with that nonce and meets the target', () => {
    fc.assert(
      fc.property(headerArb, fc.integer({ min: 0, max: MAX_NONCE - 5000 }), (hd, start) => {
        const bytes = encodeHeader(hd);
        const r = mineStep(bytes, easyTarget, start, 5000);
        if (!r.found) {
          expect(r.tried).toBe(5000);
          return;
        }
        expect(r.nonce).toBeGreaterThanOrEqual(start);
        expect(r.tried).toBe(r.nonce - start + 1);
        expect(r.hash).toEqual(headerHash({ ...hd, nonce: r.nonce }));
        expect(hashMeetsTarget(r.hash, easyTarget)).toBe(true);
        // The caller's header bytes are not modified.
        expect(bytes).toEqual(encodeHeader(hd));
      }),
      { numRuns: 20 },
    );
  });

  it('respects its budget', () => {
    const bytes = encodeHeader(sampleHeader);
    for (const budget of [1, 2, 17, 300]) {
      const r = mineStep(bytes, impossible, 1000, budget);
      expect(r).toEqual({ found: false, nextNonce: 1000 + budget, exhausted: false, tried: budget });
    }
  });

  it('reports exhaustion at MAX_NONCE', () => {
    const bytes = encodeHeader(sampleHeader);
    const r = mineStep(bytes, impossible, MAX_NONCE - 2, 10);
    expect(r).toEqual({ found: false, nextNonce: MAX_NONCE + 1, exhausted: true, tried: 3 });
    const last = mineStep(bytes, impossible, MAX_NONCE, 1);
    expect(last).toEqual({ found: false, nextNonce: MAX_NONCE + 1, exhausted: true, tried: 1 });
    const justBefore = mineStep(bytes, impossible, MAX_NONCE - 2, 2);
    expect(justBefore).toEqual({ found: false, nextNonce: MAX_NONCE, exhausted: false, tried: 2 });
    // The last nonce is tried too: with the easiest target it is found.
    const found = mineStep(bytes, filled(32, 0xff), MAX_NONCE, 5);
    expect(found.found && found.nonce === MAX_NONCE && found.tried === 1).toBe(true);
  });

  it('misuse is loud', () => {
    const bytes = encodeHeader(sampleHeader);
    expect(() => mineStep(bytes.subarray(0, 117), easyTarget, 0, 1)).toThrow(AssertionError);
    expect(() => mineStep(bytes, easyTarget, -1, 1)).toThrow(AssertionError);
    expect(() => mineStep(bytes, easyTarget, MAX_NONCE + 1, 1)).toThrow(AssertionError);
    expect(() => mineStep(bytes, easyTarget, 0, 0)).toThrow(AssertionError);
    expect(() => mineStep(bytes, easyTarget, 0, 1.5)).toThrow(AssertionError);
  });
});

// --- signatures --------------------------------------------------------------------

describe('Ed25519 (RFC 8032 §7.1)', () => {
  const vectors = [
    {
      name: 'TEST 1 (empty message)',
      secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      name: 'TEST 2 (one byte 72)',
      secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
    {
      name: 'TEST 3 (two bytes af82)',
      secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      message: 'af82',
      signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    },
  ];
  for (const v of vectors) {
    it(v.name, () => {
      expect(toHex(publicKeyOf(h(v.secret)))).toBe(v.public);
      expect(toHex(sign(h(v.message), h(v.secret)))).toBe(v.signature);
      expect(nobleVerifier.verify(h(v.signature), h(v.message), h(v.public))).toBe(true);
      expect(nobleVerifier.verify(h(v.signature), utf8('other'), h(v.public))).toBe(false);
    });
  }

  it('refuses a non-canonical S (S + L) under strict verification', () => {
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    const v = vectors[0]!;
    const sig = h(v.signature);
    const s = bytesToBigInt(sig.slice(32).reverse());
    const sPlusL = bigIntToBytes(s + L, 32).reverse();
    const forged = concatBytes(sig.subarray(0, 32), sPlusL);
    expect(nobleVerifier.verify(forged, h(v.message), h(v.public))).toBe(false);
  });
});

describe('signTx and nobleVerifier', () => {
  const secret = sha256(utf8('test author'));
  const body = { kind: TxKind.RegisterPatient, nonce: 7, time: 1_700_000_000, payload: utf8('hello') };
  const net = sha256(utf8('test network'));
  const verifyTx = (tx: Tx) => nobleVerifier.verify(tx.signature, txSigningMessage(net, txId(tx)), tx.author);

  it('signs the tagged id with the author key', () => {
    const tx = signTx(net, body, secret);
    expect(tx.version).toBe(TX_VERSION);
    expect(tx.author).toEqual(publicKeyOf(secret));
    expect(tx.signature.length).toBe(64);
    expect(verifyTx(tx)).toBe(true);
    // Deterministic (RFC 8032).
    expect(signTx(net, body, secret).signature).toEqual(tx.signature);
    // It round-trips and still verifies.
    expect(verifyTx(decodeTx(encodeTx(tx)))).toBe(true);
  });

  it('property: a flipped bit in signature, message or key fails, never throws', () => {
    const tx = signTx(net, body, secret);
    const msg = txSigningMessage(net, txId(tx));
    fc.assert(
      fc.property(fc.constantFrom('sig', 'msg', 'key'), fc.nat(), fc.integer({ min: 0, max: 7 }), (what, i, bit) => {
        const sig = tx.signature.slice();
        const m = msg.slice();
        const key = tx.author.slice();
        const target = what === 'sig' ? sig : what === 'msg' ? m : key;
        target[i % target.length]! ^= 1 << bit;
        expect(nobleVerifier.verify(sig, m, key)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('a changed body field invalidates the signature', () => {
    const tx = signTx(net, body, secret);
    expect(verifyTx({ ...tx, nonce: 8 })).toBe(false);
    expect(verifyTx({ ...tx, time: tx.time + 1 })).toBe(false);
    expect(verifyTx({ ...tx, kind: TxKind.AddRecord })).toBe(false);
    expect(verifyTx({ ...tx, payload: utf8('hellO') })).toBe(false);
    expect(verifyTx({ ...tx, author: publicKeyOf(sha256(utf8('someone else'))) })).toBe(false);
  });

  it('garbage keys and signatures give false, never an exception', () => {
    const tx = signTx(net, body, secret);
    const msg = txSigningMessage(net, txId(tx));
    const keys = [
      new Uint8Array(0),
      new Uint8Array(31),
      new Uint8Array(33),
      new Uint8Array(32), // y = 0: not a canonical point of the right kind
      filled(32, 0xff), // y ≥ p: non-canonical encoding
      concatBytes(new Uint8Array([1]), new Uint8Array(31)), // identity point (small order)
    ];
    for (const key of keys) expect(nobleVerifier.verify(tx.signature, msg, key)).toBe(false);
    for (const sig of [new Uint8Array(0), new Uint8Array(63), new Uint8Array(65), new Uint8Array(64), filled(64, 0xff)])
      expect(nobleVerifier.verify(sig, msg, tx.author)).toBe(false);
    fc.assert(
      fc.property(hash32, fc.uint8Array({ minLength: 64, maxLength: 64 }), (key, sig) => {
        expect(nobleVerifier.verify(sig, msg, key)).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it('signTx with an explicit author that is not the key’s own does not verify', () => {
    const other = publicKeyOf(sha256(utf8('other')));
    const tx = signTx(net, body, secret, other);
    expect(tx.author).toEqual(other);
    expect(verifyTx(tx)).toBe(false);
  });
});

// --- PRNG ------------------------------------------------------------------------------

describe('Prng', () => {
  const take = (p: Prng, n: number) => Array.from({ length: n }, () => p.nextU32());

  it('is deterministic per seed', () => {
    expect(take(new Prng('seed'), 20)).toEqual(take(new Prng('seed'), 20));
    expect(new Prng('x').bytes(37)).toEqual(new Prng('x').bytes(37));
  });

  it('differs across seeds, including "1" and "01"', () => {
    const seeds = ['', '0', '1', '01', 'seed', 'seed2', 'Seed'];
    const firsts = new Set(seeds.map((s) => take(new Prng(s), 4).join(',')));
    expect(firsts.size).toBe(seeds.length);
  });

  it('property: outputs stay in their ranges', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (seed, min, width) => {
        const p = new Prng(seed);
        const u = p.nextU32();
        expect(Number.isInteger(u) && u >= 0 && u <= 0xffffffff).toBe(true);
        const f = p.next();
        expect(f >= 0 && f < 1).toBe(true);
        const i = p.int(min, min + width);
        expect(Number.isInteger(i) && i >= min && i <= min + width).toBe(true);
        const v = p.u53();
        expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
        expect(p.bytes(width % 50).length).toBe(width % 50);
        expect(['a', 'b', 'c']).toContain(p.pick(['a', 'b', 'c']));
      }),
      { numRuns: 100 },
    );
  });

  it('is not stuck: values vary and int covers a small range', () => {
    const p = new Prng('spread');
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(p.int(0, 9));
    expect(seen.size).toBe(10);
    expect(new Set(take(new Prng('spread'), 100)).size).toBe(100);
  });
});
