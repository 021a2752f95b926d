/**
 * `medchain verify FILE` (SPEC §8): OK <height> <tip hash> and exit 0, or the
 * first bad block and the rule it breaks and exit 1; a damaged file exits 1
 * with a clear message; an unreadable file or bad usage exits 2.
 */
import { readFile } from 'node:fs/promises';
import { toHex } from '../lib/core/bytes';
import { verifyChainFile } from '../lib/core/verify-chain';
import { readChainFile } from '../lib/core/chainfile';
import { nobleVerifier, type SignatureVerifier } from '../lib/core/signature';
import { txId, txSigningMessage } from '../lib/core/tx';
import { primedVerifier, webcryptoEd25519Available } from '../lib/adapters/webcrypto-ed25519';
import { parse } from './args';
import { type CliIO, EXIT_FAIL, EXIT_OK, UsageError } from './io';

/**
 * Checks every transaction signature of the file through WebCrypto in
 * batches first (Node's Ed25519 is native), so that the core's synchronous
 * validation answers from memory; same answers as noble (shared precheck).
 */
export async function primedVerifierFor(bytes: Uint8Array): Promise<SignatureVerifier> {
  if (!(await webcryptoEd25519Available())) return nobleVerifier;
  const verifier = primedVerifier(nobleVerifier, Number.MAX_SAFE_INTEGER);
  const items = readChainFile(bytes).blocks.flatMap(({ block }) =>
    block.txs.map((tx) => ({ signature: tx.signature, message: txSigningMessage(txId(tx)), publicKey: tx.author })),
  );
  for (let i = 0; i < items.length; i += 4096) await verifier.prime(items.slice(i, i + 4096));
  return verifier;
}

export async function verifyCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, values } = parse(argv, { genesis: { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError('usage: medchain verify FILE [--genesis HASH]');
  const expectedGenesis = typeof values.genesis === 'string' ? values.genesis.toLowerCase() : null;
  if (expectedGenesis !== null && !/^[0-9a-f]{64}$/.test(expectedGenesis)) throw new UsageError('--genesis must be a block hash (64 hex digits)');
  const path = positionals[0]!;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const report = verifyChainFile(bytes, io.now(), { verifier: await primedVerifierFor(bytes) });
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
