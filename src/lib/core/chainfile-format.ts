/**
 * The chain file's layout in one place (SPEC §8; docs/ARCHITECTURE.md
 * "Chain files"), shared by its writer (chainfile.ts) and its incremental
 * reader (chainfile-decoder.ts) so the two can never disagree:
 *
 * magic `MEDCHAIN` ‖ version u16 ‖ network id (string, ≤ 64 bytes) ‖ block
 * count (varuint) ‖ each block as length-prefixed bytes ‖ tagged SHA-256 of
 * everything before it.
 */
import { utf8 } from './bytes';

export const CHAIN_FILE_MAGIC = utf8('MEDCHAIN');
export const CHAIN_FILE_VERSION = 1;
/** Longest network id, bytes. */
export const MAX_PARAMS_ID_BYTES = 64;
/** Hard ceilings: no network allows blocks near this size or chains near this length. */
export const MAX_FILE_BLOCK_BYTES = 8 * 1024 * 1024;
export const MAX_FILE_BLOCKS = 50_000_000;
/** Length of the closing checksum. */
export const CHECKSUM_BYTES = 32;
/** Domain tag of the closing checksum (`taggedHash` in hash.ts). */
export const CHECKSUM_TAG = 'medchain/chain-file';
