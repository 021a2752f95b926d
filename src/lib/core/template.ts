/**
 * Assembling and mining blocks. {@link blockTemplate} builds the header a
 * miner works on (the block's bits come from the retarget rule, never from the
 * miner); {@link mineBlock} runs the bounded {@link mineStep} to completion and
 * is for Node tools and tests; the browser runs mineStep in a Web Worker.
 */
import { assert } from './assert';
import { type Block, txRootOf } from './block';
import type { BlockNode, ChainState } from './chain';
import { targetFromBits } from './compact';
import { type BlockHeader, HEADER_VERSION, encodeHeader } from './header';
import type { ChainParams } from './params';
import { MAX_NONCE, mineStep, targetBytes } from './pow';
import { requiredBits } from './retarget';
import type { Tx } from './tx';

/** The header (nonce 0) for a block of `txs` on top of `parent` in `chain`. */
export function blockTemplate(chain: ChainState, parent: BlockNode, txs: readonly Tx[], time: number, miner: Uint8Array): Block {
  const bits = requiredBits(
    chain.params,
    { height: parent.height, bits: parent.header.bits, time: parent.header.time },
    (h) => chain.ancestor(parent, h)!.header.time,
  );
  const header: BlockHeader = {
    version: HEADER_VERSION,
    height: parent.height + 1,
    prevHash: parent.hash,
    txRoot: txRootOf(txs),
    time: Math.max(time, parent.medianTimePast + 1),
    bits,
    miner,
    nonce: 0,
  };
  return { header, txs };
}

/** A genesis block (nonce 0) for `params`. */
export function genesisTemplate(params: ChainParams, txs: readonly Tx[], time: number, miner: Uint8Array): Block {
  return {
    header: {
      version: HEADER_VERSION,
      height: 0,
      prevHash: new Uint8Array(32),
      txRoot: txRootOf(txs),
      time,
      bits: params.genesisBits,
      miner,
      nonce: 0,
    },
    txs,
  };
}

/**
 * Mines `block` synchronously: tries every nonce, then moves the time one
 * second on and starts again. For tools and tests (it blocks its thread).
 */
export function mineBlock(block: Block, maxTries = Number.MAX_SAFE_INTEGER): Block {
  const target = targetFromBits(block.header.bits);
  assert(target !== null, 'mining with invalid bits');
  const tb = targetBytes(target);
  let header = block.header;
  let tries = 0;
  for (;;) {
    let nonce = 0;
    const bytes = encodeHeader(header);
    for (;;) {
      const r = mineStep(bytes, tb, nonce, Math.min(1 << 16, maxTries - tries));
      tries += r.tried;
      if (r.found) return { header: { ...header, nonce: r.nonce }, txs: block.txs };
      assert(tries < maxTries, 'mining budget exhausted');
      if (r.exhausted || r.nextNonce > MAX_NONCE) break;
      nonce = r.nextNonce;
    }
    header = { ...header, time: header.time + 1 };
  }
}
