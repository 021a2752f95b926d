/**
 * A block restored from a snapshot whose stored body is not available (it
 * failed its digest on open and waits for repair) never makes the mesh
 * throw: asked for it, the node answers "not found" so the peer asks
 * someone else, and the blob index simply knows no references from it.
 */
import { describe, expect, it } from 'vitest';
import { ChainState } from '../../../../src/lib/core/chain';
import { demoChain } from '../../../../src/lib/core/demo';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { decodeSnapshot, encodeSnapshot } from '../../../../src/lib/core/snapshot';
import { BlobIndex } from '../../../../src/lib/core/net/blob-refs';
import { BlockDownload } from '../../../../src/lib/core/net/sync';
import { MsgType, type Message } from '../../../../src/lib/core/net/messages';
import type { NetContext, Peer } from '../../../../src/lib/core/net/peer';
import type { HeaderIndex } from '../../../../src/lib/core/net/headers';
import { encodeBlock } from '../../../../src/lib/core/block';
import { ledgerRules } from '../../../../src/lib/core/rules';

const NOW = 2_000_000_000;
const skipSigs = { verifier: { verify: () => true }, rules: ledgerRules };

function restoredWithoutBody(missingHeight: number): ChainState {
  const { blocks, chain: full } = demoChain({ params: TEST_PARAMS, blocks: 6, seed: 'body-missing' });
  full.markFinal(full.atHeight(5)!.key);
  const r = ChainState.restore(TEST_PARAMS, decodeSnapshot(encodeSnapshot(full.snapshot())), NOW, skipSigs);
  if (!r.ok) throw new Error(r.message);
  for (const b of blocks.slice(0, 6))
    if (b.header.height !== missingHeight) expect(r.chain.attachBody(full.atHeight(b.header.height)!.key, encodeBlock(b))).toBe(true);
  expect(r.chain.addBlock(blocks[6]!, NOW).status).toBe('accepted');
  return r.chain;
}

describe('a snapshot block without its body', () => {
  it('is answered "not found" to a peer asking for it, never thrown', () => {
    const chain = restoredWithoutBody(3);
    const sent: Message[] = [];
    const net = { send: (_p: Peer, m: Message) => sent.push(m) } as unknown as NetContext;
    const download = new BlockDownload(
      net,
      chain,
      {} as HeaderIndex,
      () => {},
      () => false,
    );
    const peer = { id: 'p' } as Peer;
    download.onGetBlocks(peer, [chain.atHeight(3)!.hash, chain.atHeight(2)!.hash]);
    expect(sent.map((m) => m.type)).toEqual([MsgType.Reject, MsgType.Block]);
  });

  it('gives the blob index no references instead of throwing', () => {
    const chain = restoredWithoutBody(2);
    const index = new BlobIndex(chain);
    expect(() => index.lookup('00'.repeat(32))).not.toThrow();
    expect(() => index.erasedIn(0, chain.height)).not.toThrow();
  });
});
