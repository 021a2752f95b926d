/**
 * How large a chunked message of each type may be (SPEC §6; issue 13,
 * defect 5). Reassembly decides at a message's first chunk, from its type
 * byte, before it keeps anything: a peer could otherwise announce a 10 MB
 * "vote" and have it held like a blob. Only three types can need chunks at
 * all: a block (up to the network's largest), a transaction (up to the
 * largest one) and a blob (up to 10 MB). Every other type stays under one
 * frame at its wire caps (500 headers, 1000 inventory items, an 8 KiB vote;
 * checked by the tests), so a chunked one is OVERSIZE.
 */
import type { MeshConfig } from './config';
import { MsgType } from './messages';

const KNOWN: ReadonlySet<number> = new Set(Object.values(MsgType));

/** The limits a type's cap comes from. */
export type TypeCapLimits = Pick<MeshConfig, 'maxMessageBytes' | 'maxTxMessageBytes' | 'maxBlobMessageBytes'>;

/**
 * The largest encoded message of `type` that may arrive chunked: 0 when the
 * type is never chunked, null when there is no such type.
 */
export function chunkedCap(config: TypeCapLimits, type: number): number | null {
  switch (type) {
    case MsgType.Block:
      return config.maxMessageBytes;
    case MsgType.Tx:
      return Math.min(config.maxTxMessageBytes, config.maxMessageBytes);
    case MsgType.Blob:
      return config.maxBlobMessageBytes;
    default:
      return KNOWN.has(type) ? 0 : null;
  }
}
