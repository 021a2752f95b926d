/**
 * The words of an emergency access and of its review (SPEC §4, issue 15):
 * never in clear on the public chain, but sealed to the accessing hospital's
 * data key (core/sealed-box.ts), so its authority and staff read them and no
 * one else. Each is bound to what it is about — the clinician's words to the
 * patient, the review's to the access — so one cannot be passed off as the
 * other or moved to another patient. Empty words seal to nothing.
 */
import { concatBytes, hexToBytes, utf8 } from '../../core/bytes';
import { MAX_SEALED_NOTE } from '../../core/payloads';
import { openSealed, sealTo } from '../../core/sealed-box';
import { type ActionFailure, type ClinicianContext, refusal } from '../clinician/sign';

/** What a sealed note is about: the clinician's reason in words, or the authority's review. */
export type NoteAbout = { readonly of: 'access'; readonly patient: string } | { readonly of: 'review'; readonly access: string };

const contextOf = (about: NoteAbout): Uint8Array =>
  about.of === 'access'
    ? concatBytes(utf8('medchain/emergency-note/v1'), hexToBytes(about.patient))
    : concatBytes(utf8('medchain/emergency-review/v1'), hexToBytes(about.access));

/** Seals `words` to the hospital's data key; empty words give empty bytes (nothing to read). */
export function sealWords(dataKey: Uint8Array, about: NoteAbout, words: string, random: (n: number) => Uint8Array): Uint8Array {
  const text = words.trim();
  return text ? sealTo(dataKey, utf8(text), contextOf(about), random) : new Uint8Array(0);
}

/** The words, opened with one of the hospital's data secrets (any epoch); '' when none were written, null when they cannot be opened. */
export function openWords(sealed: Uint8Array, about: NoteAbout, secrets: readonly Uint8Array[]): string | null {
  if (sealed.length === 0) return '';
  for (const s of secrets) {
    const plain = openSealed(sealed, s, contextOf(about));
    if (plain) return new TextDecoder().decode(plain);
  }
  return null;
}

/** The words sealed to `hospital`'s current data key, or why they cannot be sent: no ledger yet, or too long once sealed. */
export function sealForHospital(ctx: ClinicianContext, hospital: string, about: NoteAbout, words: string): Uint8Array | ActionFailure {
  const h = ctx.node.ledger()?.hospitals.get(hospital);
  if (!h) return refusal('NOT_READY');
  const sealed = sealWords(hexToBytes(h.dataKey), about, words, ctx.random);
  return sealed.length > MAX_SEALED_NOTE ? refusal('NOTE_TOO_LONG') : sealed;
}
