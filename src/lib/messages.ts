/**
 * What the app and the command line tell a person about passphrases,
 * logging in, refused writes and the quorum, in English and Hindi, keyed by
 * the codes the rules return. The app's catalogue (src/lib/i18n) carries
 * this one as its `rules` area, so screens show the language the person
 * chose; the command line prints the English.
 */
import { MIN_GUESSES_LOG10, type PassphraseWeakness } from './core/passphrase-policy';
import type { Lang } from './i18n/lang';

export { LANGS, type Lang } from './i18n/lang';

/** Why log in did not open a patient (app/identity/login-decision.ts). */
export type LoginRefusal = 'UNKNOWN_PATIENT' | 'SYNCING' | 'NO_NETWORK';

/** Why a hospital may not add this record for this patient (ledger codes; app/clinician/write.ts). */
export type WriteRefusal = 'NO_CONSENT' | 'OUT_OF_SCOPE';

/** Why a write saved on this device will never reach a block (the chain dropped it from the pool; core/failed-txs.ts). */
export type WriteFailure = 'NO_CONSENT' | 'OUT_OF_SCOPE' | 'BAD_READERS' | 'OTHER';

export interface Catalogue {
  /** One plain sentence: why the rule exists and how far this passphrase is from it. */
  readonly passphraseReason: (guessesLog10: number) => string;
  readonly weakness: Readonly<Record<PassphraseWeakness, string>>;
  readonly passphraseAdvice: string;
  /** The meter's words for scores 0 to 4. */
  readonly strengthWords: readonly [string, string, string, string, string];
  readonly login: Readonly<Record<LoginRefusal, string>>;
  readonly write: Readonly<Record<WriteRefusal, string>>;
  /** Introduces the kinds of record the patient's consent lets the hospital add (the kinds follow). */
  readonly writeCovers: string;
  /** "N writes failed", then the reason. */
  readonly writeFailed: (count: number, reason: string) => string;
  readonly writeFailure: Readonly<Record<WriteFailure, string>>;
  /** The founder's choice of quorum (SPEC §5; core/quorum-rule.ts): a legend, then each rule's name and trade-off. */
  readonly quorum: {
    readonly legend: string;
    readonly twoThirds: string;
    readonly twoThirdsTradeoff: string;
    readonly majority: string;
    readonly majorityTradeoff: string;
    readonly permanent: string;
  };
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** 10 to the power `n` (rounded down), written as 10 with a superscript exponent. */
export function powerOfTen(n: number): string {
  const whole = Math.max(0, Math.floor(n));
  return `10${[...String(whole)].map((d) => SUPERSCRIPT[Number(d)]).join('')}`;
}

const needed = powerOfTen(MIN_GUESSES_LOG10);

export const messages: Readonly<Record<Lang, Catalogue>> = {
  en: {
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
      SYNCING:
        'This device is still syncing with the network, so it cannot tell yet whether you are registered. Nothing was registered; try again in a minute.',
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
  },
  hi: {
    passphraseReason: (g) =>
      `जो भी आपका आधार नंबर जानता है, वह अपने कंप्यूटर पर पासफ़्रेज़ आज़मा सकता है, इसलिए आपके पासफ़्रेज़ को कम से कम ${needed} (एक लाख करोड़) अनुमानों की ज़रूरत होनी चाहिए; इसे लगभग ${powerOfTen(g)} अनुमानों में खोजा जा सकता है।`,
    weakness: {
      COMMON_PASSWORD: 'इसमें ऐसा पासवर्ड है जिसे बहुत लोग इस्तेमाल करते हैं।',
      NAME_OR_PLACE: 'इसमें कोई आम नाम या जगह का नाम है।',
      WORD: 'यह कुछ जाने-माने शब्दों पर टिका है।',
      PERSONAL: 'इसमें आपका नाम या आधार नंबर है।',
      DATE: 'इसमें कोई तारीख़ या साल है।',
      KEYBOARD: 'इसमें qwerty जैसा कीबोर्ड का क्रम है।',
      SEQUENCE: 'इसमें abcd या 1234 जैसा क्रम है।',
      REPEAT: 'इसमें अक्षर या शब्द दोहराए गए हैं।',
      SHORT: 'यह बहुत छोटा है।',
    },
    passphraseAdvice: 'सुझाया गया पासफ़्रेज़ लें, या छह या अधिक असंबंधित शब्द चुनें।',
    strengthWords: ['बहुत कमज़ोर', 'कमज़ोर', 'ठीक-ठाक', 'मज़बूत', 'बहुत मज़बूत'],
    login: {
      UNKNOWN_PATIENT:
        'इस आधार नंबर और पासफ़्रेज़ वाला कोई मरीज़ यहाँ दर्ज नहीं है। पासफ़्रेज़ जाँचें (एक भी ग़लत अक्षर से दूसरी कुंजियाँ बनती हैं), या अपनी रिकवरी किट से लॉग इन करें। नए हैं? रजिस्टर पेज पर नया खाता बनाएँ।',
      SYNCING: 'यह डिवाइस अभी नेटवर्क से सिंक हो रहा है, इसलिए अभी नहीं बता सकता कि आप रजिस्टर्ड हैं या नहीं। कुछ भी रजिस्टर नहीं किया गया; एक मिनट बाद फिर कोशिश करें।',
      NO_NETWORK: 'यह डिवाइस अभी किसी नेटवर्क पर नहीं है, इसलिए आपके रिकॉर्ड नहीं ढूँढ सकता। शुरुआती पेज से अपने अस्पताल के नेटवर्क से जुड़ें, फिर लॉग इन करें।',
    },
    write: {
      NO_CONSENT:
        'मरीज़ ने आपके अस्पताल को सहमति नहीं दी है (या वह समाप्त हो गई या वापस ले ली गई), इसलिए आप रिकॉर्ड नहीं जोड़ सकते। पहुँच का अनुरोध भेजें; मरीज़ अपने डिवाइस पर जवाब देगा।',
      OUT_OF_SCOPE:
        'मरीज़ की सहमति में इस प्रकार का रिकॉर्ड शामिल नहीं है, इसलिए आपका अस्पताल इसे नहीं जोड़ सकता। सहमति में शामिल कोई प्रकार चुनें, या इस प्रकार के लिए पहुँच का अनुरोध भेजें।',
    },
    writeCovers: 'मरीज़ की सहमति से आपका अस्पताल ये जोड़ सकता है:',
    writeFailed: (n, reason) => (n === 1 ? `1 बदलाव विफल रहा और सिंक नहीं होगा: ${reason}` : `${n} बदलाव विफल रहे और सिंक नहीं होंगे: ${reason}`),
    writeFailure: {
      NO_CONSENT: 'ब्लॉक में पहुँचने से पहले मरीज़ की सहमति वापस ले ली गई या समाप्त हो गई।',
      OUT_OF_SCOPE: 'मरीज़ की सहमति में अब उस प्रकार का रिकॉर्ड शामिल नहीं है।',
      BAD_READERS: 'ब्लॉक में पहुँचने से पहले सहमति बदल गई, इसलिए यह ग़लत पाठकों के लिए सील हुआ; इसे फिर से जोड़ें।',
      OTHER: 'ब्लॉक में पहुँचने से पहले चेन बदल गई और अब यह लागू नहीं होता।',
    },
    quorum: {
      legend: 'किसी ब्लॉक के अंतिम होने से पहले कितने अस्पतालों की स्वीकृति ज़रूरी है',
      twoThirds: 'दो-तिहाई से अधिक अस्पताल (अनुशंसित)',
      twoThirdsTradeoff:
        'संदेशों में देरी के दौरान कोई अस्पताल दो परस्पर विरोधी स्वीकृतियाँ दे, तब भी सुरक्षित, जब तक एक-तिहाई से कम गड़बड़ी करें। कम अस्पतालों में, रिकॉर्ड अंतिम होने के लिए उनमें से ज़्यादा का ऑनलाइन होना ज़रूरी है।',
      majority: 'आधे से अधिक अस्पताल (शोध-पत्र का नियम)',
      majorityTradeoff:
        'कम अस्पताल ऑनलाइन हों तब भी रिकॉर्ड अंतिम हो जाते हैं, लेकिन संदेशों में देरी के दौरान दो विरोधी स्वीकृतियाँ देने वाला एक ही अस्पताल दो परस्पर विरोधी ब्लॉक अंतिम करा सकता है, जिसे कभी ठीक नहीं किया जा सकता।',
      permanent: 'यह चुनाव नेटवर्क के पहले ब्लॉक में लिखा जाता है और बाद में बदला नहीं जा सकता।',
    },
  },
};

/** The sentences explaining a refused passphrase in `lang`: the reason, then what made it cheap. */
export function passphraseExplanation(lang: Lang, s: { readonly guessesLog10: number; readonly weaknesses: readonly PassphraseWeakness[] }): string[] {
  const m = messages[lang];
  return [m.passphraseReason(s.guessesLog10), ...s.weaknesses.map((w) => m.weakness[w]), m.passphraseAdvice];
}

/** The reason shown for a write the chain dropped with rule `code`. */
export function writeFailureOf(code: string): WriteFailure {
  return code === 'NO_CONSENT' || code === 'OUT_OF_SCOPE' || code === 'BAD_READERS' ? code : 'OTHER';
}
