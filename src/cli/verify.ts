/**
 * `medchain verify FILE` (SPEC §8): OK <height> <tip hash> and exit 0, or the
 * first bad block and the rule it breaks and exit 1; a damaged file exits 1
 * with a clear message; an unreadable file or bad usage exits 2.
 */
import { toHex } from '../lib/core/bytes';
import { parse } from './args';
import { checkChainFile } from './check-file';
import { type CliIO, EXIT_FAIL, EXIT_OK, UsageError } from './io';

export async function verifyCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, values } = parse(argv, { genesis: { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError('usage: medchain verify FILE [--genesis HASH]');
  const expectedGenesis = typeof values.genesis === 'string' ? values.genesis.toLowerCase() : null;
  if (expectedGenesis !== null && !/^[0-9a-f]{64}$/.test(expectedGenesis)) throw new UsageError('--genesis must be a block hash (64 hex digits)');
  const path = positionals[0]!;
  // Read in chunks and checked block by block as it is read, never whole (issue 13 #7).
  const report = await checkChainFile(path, io.now());
  if (report.ok) {
    // Without --genesis any valid chain passes; with it, the file must be of that network.
    const genesis = report.chain.genesis.key;
    if (expectedGenesis !== null && genesis !== expectedGenesis) {
      io.out(`FAIL block 0 ${genesis} (file block 0): BAD_GENESIS: not the genesis block named by --genesis`);
      return EXIT_FAIL;
    }
    io.out(`OK ${report.height} ${toHex(report.tipHash)}`);
    return EXIT_OK;
  }
  if (report.kind === 'bad-block') {
    io.out(`FAIL block ${report.height} ${toHex(report.hash)} (file block ${report.index}): ${report.code}: ${report.message}`);
    return EXIT_FAIL;
  }
  io.out(`DAMAGED ${path}: ${report.message}`);
  return EXIT_FAIL;
}
