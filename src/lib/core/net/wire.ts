/**
 * Canonical binary encoding of the mesh messages (SPEC §6, §5 "every limit
 * is explicit"): one type byte, then the fields with the core's
 * {@link Writer}/{@link Reader}. {@link decodeMessage} never throws on bad
 * bytes: it returns a coded error, which the node treats as a peer fault.
 */
import { readBlock, writeBlock } from '../block';
import { bigIntToBytes, bytesToBigInt } from '../bytes';
import { Reader, Writer } from '../encoding';
import { DecodeError, type DecodeCode } from '../errors';
import { HASH_BYTES } from '../hash';
import { readHeader, writeHeader } from '../header';
import { readTx, writeTx } from '../tx';
import { InvKind, type InvItem, type Message, MsgType, NodeRole, RejectCode, WIRE_CAPS } from './messages';

/** Bytes of a cumulative-work field (a 256-bit number). */
const WORK_BYTES = 32;
const NODE_ID_BYTES = 32;

const ROLES: ReadonlySet<number> = new Set(Object.values(NodeRole));
const REJECTS: ReadonlySet<number> = new Set(Object.values(RejectCode));
const INV_KINDS: ReadonlySet<number> = new Set(Object.values(InvKind));

export type DecodeResult = { readonly ok: true; readonly msg: Message } | { readonly ok: false; readonly code: DecodeCode; readonly offset: number };

function writeHashes(w: Writer, hashes: readonly Uint8Array[]): void {
  w.varuint(hashes.length);
  for (const h of hashes) w.fixed(h, HASH_BYTES);
}

function readHashes(r: Reader, max: number, what: string): Uint8Array[] {
  const n = r.count(max, what);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(r.fixed(HASH_BYTES, what));
  return out;
}

function readCode(r: Reader, allowed: ReadonlySet<number>, what: string): number {
  const at = r.offset;
  const v = r.u8(what);
  if (!allowed.has(v)) throw new DecodeError('UNKNOWN_KIND', `unknown ${what} ${v}`, at);
  return v;
}

function writeBody(w: Writer, m: Message): void {
  switch (m.type) {
    case MsgType.Hello:
      w.u16(m.version).string(m.networkId, WIRE_CAPS.networkIdBytes).fixed(m.genesis, HASH_BYTES);
      w.fixed(m.nodeId, NODE_ID_BYTES).u8(m.role).fixed(m.tipHash, HASH_BYTES).u32(m.tipHeight);
      w.fixed(bigIntToBytes(m.tipWork, WORK_BYTES), WORK_BYTES).u32(m.finalHeight);
      return;
    case MsgType.Tip:
      writeHeader(w, m.header);
      w.fixed(bigIntToBytes(m.work, WORK_BYTES), WORK_BYTES).u32(m.finalHeight);
      return;
    case MsgType.Inv:
      w.varuint(m.items.length);
      for (const it of m.items) w.u8(it.kind).fixed(it.hash, HASH_BYTES);
      return;
    case MsgType.GetHeaders:
      writeHashes(w, m.locator);
      w.fixed(m.stop, HASH_BYTES);
      return;
    case MsgType.Headers:
      w.varuint(m.headers.length);
      for (const h of m.headers) writeHeader(w, h);
      return;
    case MsgType.GetBlocks:
      return writeHashes(w, m.hashes);
    case MsgType.Block:
      return writeBlock(w, m.block);
    case MsgType.GetTxs:
      return writeHashes(w, m.ids);
    case MsgType.Tx:
      return writeTx(w, m.tx);
    case MsgType.Vote:
      w.bytes(m.bytes, WIRE_CAPS.voteBytes);
      return;
    case MsgType.Ping:
    case MsgType.Pong:
      w.u64(m.nonce);
      return;
    case MsgType.Reject:
      w.u8(m.code).fixed(m.subject, HASH_BYTES);
      return;
    case MsgType.GetBlob:
      w.fixed(m.hash, HASH_BYTES);
      return;
    case MsgType.Blob:
      w.fixed(m.hash, HASH_BYTES).bytes(m.bytes, WIRE_CAPS.blobBytes);
      return;
  }
}

function readBody(r: Reader, type: number): Message {
  switch (type) {
    case MsgType.Hello: {
      const version = r.u16('version');
      const networkId = r.string(WIRE_CAPS.networkIdBytes, 'network id');
      const genesis = r.fixed(HASH_BYTES, 'genesis');
      const nodeId = r.fixed(NODE_ID_BYTES, 'node id');
      const role = readCode(r, ROLES, 'role') as NodeRole;
      const tipHash = r.fixed(HASH_BYTES, 'tip hash');
      const tipHeight = r.u32('tip height');
      const tipWork = bytesToBigInt(r.fixed(WORK_BYTES, 'tip work'));
      const finalHeight = r.u32('final height');
      return { type, version, networkId, genesis, nodeId, role, tipHash, tipHeight, tipWork, finalHeight };
    }
    case MsgType.Tip: {
      const header = readHeader(r);
      const work = bytesToBigInt(r.fixed(WORK_BYTES, 'work'));
      return { type, header, work, finalHeight: r.u32('final height') };
    }
    case MsgType.Inv: {
      const n = r.count(WIRE_CAPS.invItems, 'inventory');
      const items: InvItem[] = [];
      for (let i = 0; i < n; i++) {
        const kind = readCode(r, INV_KINDS, 'inventory kind') as InvKind;
        items.push({ kind, hash: r.fixed(HASH_BYTES, 'inventory hash') });
      }
      return { type, items };
    }
    case MsgType.GetHeaders: {
      const locator = readHashes(r, WIRE_CAPS.locatorHashes, 'locator');
      return { type, locator, stop: r.fixed(HASH_BYTES, 'stop hash') };
    }
    case MsgType.Headers: {
      const n = r.count(WIRE_CAPS.headers, 'headers');
      const headers = [];
      for (let i = 0; i < n; i++) headers.push(readHeader(r));
      return { type, headers };
    }
    case MsgType.GetBlocks:
      return { type, hashes: readHashes(r, WIRE_CAPS.getBlocks, 'block hashes') };
    case MsgType.Block: {
      const start = r.offset;
      const block = readBlock(r);
      return { type, block, size: r.offset - start };
    }
    case MsgType.GetTxs:
      return { type, ids: readHashes(r, WIRE_CAPS.invItems, 'tx ids') };
    case MsgType.Tx:
      return { type, tx: readTx(r) };
    case MsgType.Vote:
      return { type, bytes: r.bytes(WIRE_CAPS.voteBytes, 'vote') };
    case MsgType.Ping:
    case MsgType.Pong:
      return { type, nonce: r.u64('nonce') };
    case MsgType.Reject: {
      const code = readCode(r, REJECTS, 'reject code') as RejectCode;
      return { type, code, subject: r.fixed(HASH_BYTES, 'subject') };
    }
    case MsgType.GetBlob:
      return { type, hash: r.fixed(HASH_BYTES, 'blob hash') };
    case MsgType.Blob: {
      const hash = r.fixed(HASH_BYTES, 'blob hash');
      return { type, hash, bytes: r.bytes(WIRE_CAPS.blobBytes, 'blob') };
    }
    default:
      throw new DecodeError('UNKNOWN_KIND', `unknown message type ${type}`, 0);
  }
}

/** Encodes a message of our own; a malformed one is our bug (AssertionError). */
export function encodeMessage(m: Message): Uint8Array {
  const w = new Writer();
  w.u8(m.type);
  writeBody(w, m);
  return w.finish();
}

/**
 * Decodes one message of at most `maxBytes` bytes. Never throws on bad
 * input: garbage, trailing bytes, unknown codes and sizes over the caps come
 * back as a coded error.
 */
export function decodeMessage(bytes: Uint8Array, maxBytes: number): DecodeResult {
  if (bytes.length > maxBytes) return { ok: false, code: 'OVERSIZE', offset: 0 };
  const r = new Reader(bytes);
  try {
    const type = r.u8('message type');
    const msg = readBody(r, type);
    r.end('message');
    // A block's bytes follow the type byte to the end: kept for the store (decoding is canonical).
    return { ok: true, msg: msg.type === MsgType.Block ? { ...msg, bytes: bytes.subarray(1) } : msg };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, code: e.code, offset: e.offset };
    throw e;
  }
}
