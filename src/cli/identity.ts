/**
 * `medchain identity --aadhaar NUMBER [--network ID]`, passphrase on standard
 * input (never an argument: arguments show in process lists and shell
 * history). Prints the public identity as JSON: the patient id in long and
 * short form and the public keys. Never a secret, never the Aadhaar number.
 * A malformed or checksum-failing number, or a passphrase under the app's
 * rule (fewer than 10^12 estimated guesses), exits 2 with a one-line reason.
 */
import { checkAadhaar } from '../lib/core/aadhaar';
import { toHex } from '../lib/core/bytes';
import { longId, patientIdOf, shortId } from '../lib/core/ids';
import { deriveKeys, deriveMasterSeed, wipe } from '../lib/core/keys';
import { DEFAULT_PARAMS } from '../lib/core/params';
import { passphraseStrength } from '../lib/adapters/passphrase-estimator';
import { rules } from '../lib/i18n/en/rules';
import { parse, required } from './args';
import { type CliIO, EXIT_OK, UsageError } from './io';

export async function identityCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, { aadhaar: { type: 'string' }, network: { type: 'string' } });
  // `--aadhaar -` reads the number from the first line of standard input, so it
  // never appears in a process list or shell history; the passphrase follows.
  const given = required(values, 'aadhaar');
  const input = await io.readStdin();
  const lines = input.split(/\r?\n/);
  const fromStdin = given === '-';
  const aadhaar = checkAadhaar(fromStdin ? (lines[0] ?? '') : given);
  if (!aadhaar.ok) throw new UsageError(`--aadhaar: ${aadhaar.message}`);
  const network = typeof values.network === 'string' && values.network !== '' ? values.network : DEFAULT_PARAMS.id;
  const passphrase = fromStdin ? (lines[1] ?? '') : input.replace(/\r?\n$/, '');
  if (passphrase === '') throw new UsageError('no passphrase on standard input');
  // The same rule as the app (SPEC §2): at least 10^12 estimated guesses, the number itself counted as a cheap guess.
  const strength = passphraseStrength(passphrase, [aadhaar.digits]);
  if (!strength.acceptable) throw new UsageError(`weak passphrase: ${rules.passphraseReason(strength.guessesLog10)}`);
  const seed = deriveMasterSeed(network, aadhaar.digits, passphrase);
  const keys = deriveKeys(seed);
  const id = patientIdOf(keys.signPublic);
  const out = {
    network,
    patientId: longId(id),
    shortId: shortId(id),
    signingPublicKey: toHex(keys.signPublic),
    encryptionPublicKey: toHex(keys.boxPublic),
  };
  wipe(seed, keys.signSecret, keys.boxSecret);
  io.out(JSON.stringify(out, null, 2));
  return EXIT_OK;
}
