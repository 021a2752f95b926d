/**
 * `medchain demo-chain --blocks N --out FILE [--seed S] [--params default|test]`:
 * writes a valid chain with sample transactions; the same seed gives the same
 * bytes. The file is written beside its destination and renamed into place,
 * so an interrupted run never leaves a half-written chain under FILE.
 */
import { rename, writeFile } from 'node:fs/promises';
import { encodeBlock } from '../lib/core/block';
import { toHex } from '../lib/core/bytes';
import { encodeChainFile } from '../lib/core/chainfile';
import { demoChain } from '../lib/core/demo';
import { paramsByName } from '../lib/core/params';
import { integer, parse, required } from './args';
import { type CliIO, EXIT_OK, UsageError } from './io';

export async function demoChainCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, {
    blocks: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    params: { type: 'string' },
  });
  const blocks = integer(required(values, 'blocks'), 'blocks', 0, 1_000_000);
  const out = required(values, 'out');
  const seed = typeof values.seed === 'string' ? values.seed : 'medchain';
  const name = typeof values.params === 'string' ? values.params : 'default';
  const params = paramsByName(name);
  if (!params || params.id === 'bitcoin-mainnet') throw new UsageError(`--params must be default or test, got "${name}"`);
  const demo = demoChain({ blocks, seed, params });
  const file = encodeChainFile(params.id, demo.blocks.map(encodeBlock));
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, file);
    await rename(tmp, out);
  } catch (e) {
    throw new UsageError(`cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.out(`wrote ${demo.blocks.length} blocks (height ${demo.chain.height}, tip ${toHex(demo.chain.tip.hash)}) to ${out}`);
  return EXIT_OK;
}
