/**
 * `medchain retarget --bits B --first-time T0 --last-time T1 [--params bitcoin|default]`
 * (SPEC §8): the next compact target after a window whose first block has
 * time T0 and whose last block has time T1 and bits B.
 */
import { formatBits, parseBits, targetFromBits } from '../lib/core/compact';
import { paramsByName } from '../lib/core/params';
import { calculateNextBits } from '../lib/core/retarget';
import { integer, parse, required } from './args';
import { type CliIO, EXIT_OK, UsageError } from './io';

export async function retargetCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, {
    bits: { type: 'string' },
    'first-time': { type: 'string' },
    'last-time': { type: 'string' },
    params: { type: 'string' },
  });
  const bitsText = required(values, 'bits');
  const bits = parseBits(bitsText);
  if (bits === null) throw new UsageError(`--bits must be 0x plus up to 8 hex digits, got "${bitsText}"`);
  if (targetFromBits(bits) === null) throw new UsageError(`--bits ${formatBits(bits)} is not a valid target (zero, negative or overflowing)`);
  const first = integer(required(values, 'first-time'), 'first-time', 0, 2 ** 40);
  const last = integer(required(values, 'last-time'), 'last-time', 0, 2 ** 40);
  const name = typeof values.params === 'string' ? values.params : 'default';
  const params = paramsByName(name);
  if (!params) throw new UsageError(`--params must be bitcoin or default, got "${name}"`);
  io.out(formatBits(calculateNextBits(params, bits, first, last)));
  return EXIT_OK;
}
