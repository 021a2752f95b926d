/**
 * Opaque room names for the signalling relay (SPEC §6: "room names are
 * opaque"). Peers of one network meet in one relay topic; the relay sees only
 * a tagged hash of the network id, so it learns which peers share a network
 * but not which network (a name it has not already guessed).
 */
import { toHex, utf8 } from '../bytes';
import { taggedHash } from '../hash';

/** Length of a room id (SHA-256). */
export const ROOM_ID_BYTES = 32;

/** The 32-byte room id of a network: signed into every signal envelope. */
export function roomIdOf(networkId: string): Uint8Array {
  return taggedHash('medchain/signal-room/v1', utf8(networkId));
}

/** The relay topic of a room: the room id in lowercase hex (64 characters). */
export function roomTopic(roomId: Uint8Array): string {
  return toHex(roomId);
}
