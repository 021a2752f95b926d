/**
 * `medchain inspect FILE [--json]` (issue 15): what a chain file holds,
 * without any health data — blocks, transactions by kind, hospitals and
 * staff, and each pseudonymous patient's consent history
 * (inspect-report.ts). The file is read and checked exactly as `medchain
 * verify` does (in chunks, block by block, signatures and all), because the
 * consent history is the ledger the chain builds, and only a valid chain
 * builds one. A damaged or invalid file exits 1 with one line saying why;
 * an unreadable file or bad usage exits 2.
 */
import { toHex } from '../lib/core/bytes';
import { parse } from './args';
import { checkChainFile } from './check-file';
import { inspectChain } from './inspect-report';
import { inspectText } from './inspect-text';
import { type CliIO, EXIT_FAIL, EXIT_OK, UsageError } from './io';

export async function inspectCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, values } = parse(argv, { json: { type: 'boolean' } }, true);
  if (positionals.length !== 1) throw new UsageError('usage: medchain inspect FILE [--json]');
  const path = positionals[0]!;
  const report = await checkChainFile(path, io.now());
  if (!report.ok) {
    const why =
      report.kind === 'damaged'
        ? `the file is damaged: ${report.message}`
        : `the chain is invalid at block ${report.height} ${toHex(report.hash)} (file block ${report.index}): ${report.code}: ${report.message}`;
    io.err(`medchain inspect: ${path}: ${why}`);
    return EXIT_FAIL;
  }
  const r = inspectChain(report.chain);
  if (values.json) io.out(JSON.stringify(r, null, 2));
  else for (const line of inspectText(path, r)) io.out(line);
  return EXIT_OK;
}
