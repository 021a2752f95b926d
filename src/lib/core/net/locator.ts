/**
 * Block locators (SPEC §6: a late joiner asks for what it lacks), as
 * Bitcoin's: the hashes of the ten most recent blocks, then exponentially
 * spaced ones back to genesis. A peer answers with the headers after the
 * first locator hash on its active chain, so one round trip finds the fork
 * point whatever branch either side is on.
 */
import type { BlockHeader } from '../header';
import type { ChainState } from '../chain';
import { toHex } from '../bytes';

/** The heights a locator from a tip at `tipHeight` names, highest first, ending at 0. */
export function locatorHeights(tipHeight: number): number[] {
  const out: number[] = [];
  let step = 1;
  for (let h = tipHeight; h > 0; h -= step) {
    out.push(h);
    if (out.length >= 10) step *= 2;
  }
  out.push(0);
  return out;
}

/**
 * The headers a peer asked for with `locator`: from the block after the
 * first locator hash on our active chain (genesis when none is), at most
 * `max`, ending at `stop` if it is reached.
 */
export function headersAfter(chain: ChainState, locator: readonly Uint8Array[], stop: string, max: number): BlockHeader[] {
  let start = 1;
  for (const hash of locator) {
    const node = chain.get(toHex(hash));
    if (node && chain.isActive(node)) {
      start = node.height + 1;
      break;
    }
  }
  const out: BlockHeader[] = [];
  for (let h = start; out.length < max; h++) {
    const node = chain.atHeight(h);
    if (!node) break;
    out.push(node.header);
    if (node.key === stop) break;
  }
  return out;
}
