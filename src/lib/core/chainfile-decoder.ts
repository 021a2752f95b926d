/**
 * Reading a chain file as it arrives (issue 13 #7): bytes are pushed in as
 * they are read and events pulled out, so a file is checked block by block
 * in bounded memory instead of being decoded whole first (a 63 MB crafted
 * file cost 400 MB of heap and 12 s before its first proof of work was
 * looked at).
 *
 * The decoder holds at most one block (≤ {@link MAX_FILE_BLOCK_BYTES}) plus
 * the chunk being read. Each block's header is announced as soon as its 118
 * bytes are in, before the rest of the block is even buffered, so a caller
 * can refuse a block on its header alone (proof of work, size) having read
 * little more than the header. The checksum is fed as the bytes go by
 * (same tagged hash as the writer), the declared block count is held to
 * what arrives, and a byte after the checksum is refused. Bad input gives a
 * `damage` event; nothing here throws on it.
 */
import { type Block, decodeBlock } from './block';
import { bytesEqual } from './bytes';
import {
  CHAIN_FILE_MAGIC,
  CHAIN_FILE_VERSION,
  CHECKSUM_BYTES,
  CHECKSUM_TAG,
  MAX_FILE_BLOCKS,
  MAX_FILE_BLOCK_BYTES,
  MAX_PARAMS_ID_BYTES,
} from './chainfile-format';
import { Reader } from './encoding';
import { DecodeError } from './errors';
import { type IncrementalHash, taggedHasher } from './hash';
import { type BlockHeader, HEADER_BYTES, readHeader } from './header';

/** What the decoder found next in the file. */
export type ChainFileEvent =
  /** The preamble: the network the file is of and how many blocks it declares. */
  | { readonly kind: 'start'; readonly paramsId: string; readonly declaredBlocks: number }
  /** Block `index`'s header, before the rest of the block was read; `size` is the block's declared length. */
  | { readonly kind: 'header'; readonly index: number; readonly header: BlockHeader; readonly size: number }
  /** Block `index`, whole: its bytes and its decoded form. */
  | { readonly kind: 'block'; readonly index: number; readonly bytes: Uint8Array; readonly block: Block }
  /** Every declared block read, the checksum matched and nothing follows it. */
  | { readonly kind: 'end' }
  /** The file's structure is broken here (in block `blockIndex` of the file, if in one); nothing follows. */
  | { readonly kind: 'damage'; readonly error: DecodeError; readonly blockIndex: number | null };

type Step = 'preamble' | 'params-length' | 'params' | 'count' | 'block-length' | 'header' | 'body' | 'checksum' | 'after';

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const PREAMBLE_BYTES = CHAIN_FILE_MAGIC.length + 2;
/** Longest varuint the encoding accepts (Reader.varuint). */
const MAX_VARUINT_BYTES = 8;

/**
 * Push-in, pull-out decoder of one chain file: {@link push} bytes as they
 * are read, {@link finish} at the end of input, and call {@link next} until
 * it returns null (it needs more input) or a terminal event (`end` or
 * `damage`, returned again on every later call).
 */
export class ChainFileDecoder {
  private readonly queue: Uint8Array[] = [];
  private at = 0;
  private finished = false;
  /** File offset of the next byte to consume. */
  private offset = 0;
  private readonly hasher: IncrementalHash = taggedHasher(CHECKSUM_TAG);
  /** The checksum the file must end with, once every byte it covers went by. */
  private expected: Uint8Array | null = null;
  private step: Step = 'preamble';
  private field = new Uint8Array(PREAMBLE_BYTES);
  private filled = 0;
  private readonly varBytes: number[] = [];
  private varStart = 0;
  private paramsId = '';
  private declared = 0;
  private index = 0;
  /** Declared length and file offset of the block being read. */
  private blockSize = 0;
  private blockStart = 0;
  private terminal: ChainFileEvent | null = null;

  /** Bytes consumed so far (the file offset reached). */
  get consumed(): number {
    return this.offset;
  }

  /** Bytes held: input not yet consumed plus the field or block being gathered. */
  get buffered(): number {
    return this.queue.reduce((n, c) => n + c.length, -this.at) + this.field.length;
  }

  /** Adds the next bytes of the file (kept by reference until consumed). */
  push(chunk: Uint8Array): void {
    if (this.finished) throw new Error('chain file decoder: push after finish');
    if (chunk.length > 0) this.queue.push(chunk);
  }

  /** Marks the end of input: what is missing from then on is truncation. */
  finish(): void {
    this.finished = true;
  }

  /** The next event, or null when more input is needed first. */
  next(): ChainFileEvent | null {
    if (this.terminal) return this.terminal;
    try {
      const e = this.advance();
      if (e && (e.kind === 'end' || e.kind === 'damage')) this.terminal = e;
      return e;
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return (this.terminal = { kind: 'damage', error: e, blockIndex: this.inBlock() ? this.index : null });
    }
  }

  private inBlock(): boolean {
    return this.step === 'block-length' || this.step === 'header' || this.step === 'body';
  }

  /** One event, or null for more input; throws DecodeError for damage (turned into an event by next). */
  private advance(): ChainFileEvent | null {
    for (;;) {
      switch (this.step) {
        case 'preamble': {
          if (!this.fill()) return this.needMore('the file header');
          if (!bytesEqual(this.field.subarray(0, CHAIN_FILE_MAGIC.length), CHAIN_FILE_MAGIC))
            throw new DecodeError('BAD_MAGIC', 'not a medchain chain file', 0);
          const version = (this.field[8]! << 8) | this.field[9]!;
          if (version !== CHAIN_FILE_VERSION) throw new DecodeError('BAD_VERSION', `unknown chain file version ${version}`, 8);
          this.step = 'params-length';
          break;
        }
        case 'params-length': {
          const n = this.varuint('network id length');
          if (n === null) return this.needMore('the network id');
          if (n > MAX_PARAMS_ID_BYTES) throw new DecodeError('OVERSIZE', `network id of ${n} bytes over its limit ${MAX_PARAMS_ID_BYTES}`, this.varStart);
          this.expect('params', n);
          break;
        }
        case 'params': {
          if (!this.fill()) return this.needMore('the network id');
          try {
            this.paramsId = utf8Strict.decode(this.field);
          } catch {
            throw new DecodeError('NON_CANONICAL', 'network id is not valid UTF-8', this.offset - this.field.length);
          }
          this.step = 'count';
          break;
        }
        case 'count': {
          const n = this.varuint('blocks count');
          if (n === null) return this.needMore('the block count');
          if (n > MAX_FILE_BLOCKS) throw new DecodeError('OVERSIZE', `blocks of ${n} items over its limit ${MAX_FILE_BLOCKS}`, this.varStart);
          this.declared = n;
          this.afterBlock();
          return { kind: 'start', paramsId: this.paramsId, declaredBlocks: n };
        }
        case 'block-length': {
          const n = this.varuint(`block ${this.index} length`);
          if (n === null) return this.needMore(`block ${this.index}`);
          if (n > MAX_FILE_BLOCK_BYTES)
            throw new DecodeError('OVERSIZE', `block ${this.index} of ${n} bytes over its limit ${MAX_FILE_BLOCK_BYTES}`, this.varStart);
          this.blockSize = n;
          this.blockStart = this.offset;
          // A block too short for a header is read whole and refused by the block decoder (TRUNCATED).
          if (n >= HEADER_BYTES) this.expect('header', HEADER_BYTES);
          else this.expect('body', n);
          break;
        }
        case 'header': {
          if (!this.fill()) return this.needMore(`block ${this.index}`);
          const header = this.decodeInBlock(() => readHeader(new Reader(this.field)));
          // The rest of the block is gathered only when the caller asks for more, after it has seen the header.
          const whole = new Uint8Array(this.blockSize);
          whole.set(this.field);
          this.field = whole;
          this.step = 'body';
          return { kind: 'header', index: this.index, header, size: this.blockSize };
        }
        case 'body': {
          if (!this.fill()) return this.needMore(`block ${this.index}`);
          const bytes = this.field;
          const block = this.decodeInBlock(() => decodeBlock(bytes));
          const index = this.index++;
          this.afterBlock();
          return { kind: 'block', index, bytes, block };
        }
        case 'checksum': {
          if (!this.fill()) return this.needMore('the checksum');
          this.step = 'after';
          break;
        }
        case 'after': {
          if (this.queue.length > 0) {
            const extra = this.queue.reduce((n, c) => n + c.length, -this.at);
            throw new DecodeError('TRAILING_BYTES', `${extra} or more bytes after the checksum`, this.offset);
          }
          if (!this.finished) return null;
          if (!bytesEqual(this.field, this.expected!))
            throw new DecodeError('BAD_CHECKSUM', 'file checksum does not match its contents', this.offset - CHECKSUM_BYTES);
          return { kind: 'end' };
        }
      }
    }
  }

  /** After the preamble or a block: the next block, or the checksum once every declared block is in. */
  private afterBlock(): void {
    if (this.index < this.declared) {
      this.step = 'block-length';
      this.field = new Uint8Array(0);
      return;
    }
    this.expected = this.hasher.digest();
    this.expect('checksum', CHECKSUM_BYTES);
  }

  private expect(step: Step, n: number): void {
    this.step = step;
    this.field = new Uint8Array(n);
    this.filled = 0;
  }

  /** Null to wait for input; at the end of input, the truncation it is. */
  private needMore(what: string): null {
    if (this.finished) throw new DecodeError('TRUNCATED', `input ends inside ${what}`, this.offset);
    return null;
  }

  /** Runs a decoder over the current block's bytes, with its errors placed in the file. */
  private decodeInBlock<T>(decode: () => T): T {
    try {
      return decode();
    } catch (e) {
      if (e instanceof DecodeError) throw new DecodeError(e.code, `block ${this.index}: ${e.message}`, this.blockStart + e.offset);
      throw e;
    }
  }

  /** Moves input into the field until it is full; false when the input ran out first. */
  private fill(): boolean {
    while (this.filled < this.field.length) {
      const chunk = this.queue[0];
      if (!chunk) return false;
      const n = Math.min(chunk.length - this.at, this.field.length - this.filled);
      this.field.set(this.take(chunk, n), this.filled);
      this.filled += n;
    }
    return true;
  }

  /**
   * A varuint read a byte at a time (it may span chunks), checked by the
   * encoding's own reader (minimal, at most 8 bytes, safe range); null while
   * incomplete.
   */
  private varuint(what: string): number | null {
    for (;;) {
      const chunk = this.queue[0];
      if (!chunk) return null;
      if (this.varBytes.length === 0) this.varStart = this.offset;
      const b = this.take(chunk, 1)[0]!;
      this.varBytes.push(b);
      if ((b & 0x80) === 0 || this.varBytes.length === MAX_VARUINT_BYTES) break;
    }
    const bytes = Uint8Array.from(this.varBytes);
    this.varBytes.length = 0;
    try {
      return new Reader(bytes).varuint(what);
    } catch (e) {
      if (e instanceof DecodeError) throw new DecodeError(e.code, e.message, this.varStart + e.offset);
      throw e;
    }
  }

  /** Consumes `n` bytes of the first queued chunk: hashed unless they are the checksum itself. */
  private take(chunk: Uint8Array, n: number): Uint8Array {
    const part = chunk.subarray(this.at, this.at + n);
    if (this.expected === null) this.hasher.update(part);
    this.offset += n;
    this.at += n;
    if (this.at === chunk.length) {
      this.queue.shift();
      this.at = 0;
    }
    return part;
  }
}
