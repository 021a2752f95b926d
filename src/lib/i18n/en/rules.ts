/**
 * What the app and the command line tell a person about passphrases, logging in,
 * refused writes and the quorum, in English, keyed by the codes the rules return
 * (the types and the codes are src/lib/messages.ts; the command line prints the English).
 */
import { MIN_GUESSES_LOG10 } from '../../core/passphrase-policy';
import { type Catalogue, powerOfTen } from '../../messages';

const needed = powerOfTen(MIN_GUESSES_LOG10);

export const rules: Catalogue = {
  passphraseReason: (g) =>
    `Anyone who knows your Aadhaar number can try passphrases on their own computer, so yours must need at least ${needed} guesses (a lakh crore); this one needs about ${powerOfTen(g)}.`,
  weakness: {
    COMMON_PASSWORD: 'It contains a password many people use.',
    NAME_OR_PLACE: 'It contains a common name or place.',
    WORD: 'It rests on a few well-known words.',
    PERSONAL: 'It contains your name or Aadhaar number.',
    DATE: 'It contains a date or a year.',
    KEYBOARD: 'It contains a keyboard pattern such as qwerty.',
    SEQUENCE: 'It contains a run such as abcd or 1234.',
    REPEAT: 'It repeats characters or words.',
    SHORT: 'It is too short.',
  },
  passphraseAdvice: 'Use the suggested passphrase, or six or more unrelated words.',
  strengthWords: ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'],
  login: {
    UNKNOWN_PATIENT:
      'No patient with this Aadhaar number and passphrase is known here. Check the passphrase (one wrong character gives other keys), or log in with your recovery kit. New here? Create an account on the register page.',
    SYNCING: 'This device is still syncing with the network, so it cannot tell yet whether you are registered. Nothing was registered; try again in a minute.',
    NO_NETWORK: 'This device is not on a network yet, so it cannot find your records. Join your hospital’s network from the start page, then log in.',
  },
  write: {
    NO_CONSENT:
      'The patient has not given your hospital consent (or it has expired or was revoked), so you cannot add records. Request access; the patient answers on their device.',
    OUT_OF_SCOPE:
      'The patient’s consent does not cover this kind of record, so your hospital cannot add it. Choose a kind the consent covers, or request access to this kind.',
  },
  writeCovers: 'The patient’s consent lets your hospital add:',
  writeFailed: (n, reason) => `${n === 1 ? '1 write' : `${n} writes`} failed and will not sync: ${reason}`,
  writeFailure: {
    NO_CONSENT: 'the patient’s consent was revoked or expired before it reached a block.',
    OUT_OF_SCOPE: 'the patient’s consent no longer covers that kind of record.',
    BAD_READERS: 'consent changed before it reached a block, so it was sealed for the wrong readers; add it again.',
    OTHER: 'the chain changed before it reached a block and it no longer applies.',
  },
  quorum: {
    legend: 'How many hospitals must approve a block before it is final',
    twoThirds: 'More than two thirds of the hospitals (recommended)',
    twoThirdsTradeoff:
      'Safe even if a hospital signs two conflicting approvals while messages are delayed, as long as fewer than a third misbehave. With few hospitals, more of them must be online for records to become final.',
    majority: 'More than half of the hospitals (the paper’s rule)',
    majorityTradeoff:
      'Records become final with fewer hospitals online, but a single hospital that signs two conflicting approvals while messages are delayed can make two conflicting blocks final, which can never be repaired.',
    permanent: 'This choice is written into the network’s first block and cannot be changed later.',
  },
};
