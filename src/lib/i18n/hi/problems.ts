/** Why a form, a typed code or a file is refused, in Hindi (the English in ../en/problems.ts is the contract). */
import type { findPatient as enFind, form as enForm, importFile as enImport, kitCode as enKit, recordForm as enRecord } from '../en/problems';
import { rules } from './rules';
import { formatNumber } from '../format';
import { identity } from './identity';

const n = (x: number) => formatNumber('hi', x);

export const form: typeof enForm = {
  NAME_EMPTY: 'वह नाम लिखें जो आप अस्पतालों को दिखाना चाहते हैं।',
  TOO_LONG: (max) => `अधिक से अधिक ${n(max)} अक्षर इस्तेमाल करें।`,
  UNPRINTABLE: 'नाम में ऐसे अक्षर हैं जो दिखाए नहीं जा सकते।',
  CHOOSE_PASSPHRASE: 'एक पासफ़्रेज़ चुनें।',
  TOO_WEAK: (guessesLog10) => `बहुत कमज़ोर। ${rules.passphraseReason(guessesLog10)}`,
  DIFFER: 'दोनों पासफ़्रेज़ अलग-अलग हैं।',
  ENTER_PASSPHRASE: 'अपना पासफ़्रेज़ लिखें।',
  ENTER_CURRENT: 'अपना मौजूदा पासफ़्रेज़ लिखें।',
  SAME_AS_CURRENT: 'मौजूदा पासफ़्रेज़ से अलग पासफ़्रेज़ चुनें।',
  OTHER_AADHAAR: (masked) => `यह वह आधार नंबर नहीं है जिससे आपने लॉग इन किया था (${masked})।`,
  NETWORK_NAME_EMPTY: 'नेटवर्क का नाम लिखें।',
  HOSPITAL_NAME_EMPTY: 'अस्पताल का नाम लिखें।',
  NAME_TOO_LONG_BYTES: (max) => `नाम बहुत लंबा है (अधिक से अधिक ${n(max)} बाइट)।`,
  CHECK_UNAVAILABLE: identity.checkUnavailable,
};

/** How people call each attachment type, in Hindi. */
const KIND_NOUNS: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF फ़ाइल',
  'image/png': 'PNG चित्र',
  'image/jpeg': 'JPEG चित्र',
  'image/webp': 'WebP चित्र',
  'image/gif': 'GIF चित्र',
  'text/plain': 'सादा टेक्स्ट फ़ाइल',
};
const kindNoun = (mime: string): string => KIND_NOUNS[mime] ?? mime;

export const recordForm: typeof enRecord = {
  BROKEN_CHARACTER: 'इसमें एक टूटा हुआ अक्षर है (किसी इमोजी या चिह्न का आधा हिस्सा); कृपया इसे दोबारा टाइप करें।',
  TITLE_EMPTY: 'रिकॉर्ड को एक शीर्षक दें।',
  TITLE_TOO_LONG: (max) => `शीर्षक बहुत लंबा है (अधिक से अधिक ${n(max)} बाइट)।`,
  BAD_DATE: 'सही तारीख़ लिखें (YYYY-MM-DD)।',
  FUTURE_DATE: 'यह तारीख़ भविष्य की है।',
  DATE_TOO_OLD: '1970 से पहले की तारीख़ के रिकॉर्ड नहीं जोड़े जा सकते।',
  AUTHOR_TOO_LONG: 'लिखने वाले का नाम बहुत लंबा है।',
  TOO_MANY_FIELDS: (max) => `अधिक से अधिक ${n(max)} मान (फ़ील्ड)।`,
  FIELD_NAME: 'हर मान को एक छोटा नाम चाहिए।',
  FIELD_VALUE_TOO_LONG: (max) => `एक मान अधिक से अधिक ${n(max)} बाइट का हो सकता है।`,
  TEXT_TOO_LONG: 'टेक्स्ट बहुत लंबा है; लंबे दस्तावेज़ फ़ाइल के रूप में जोड़ें।',
  TOO_MANY_ATTACHMENTS: (max) => `अधिक से अधिक ${n(max)} फ़ाइलें जोड़ी जा सकती हैं।`,
  ATTACHMENT_NAME: (max) => `हर जोड़ी गई फ़ाइल का नाम होना चाहिए, अधिक से अधिक ${n(max)} बाइट का।`,
  ATTACHMENT_TYPE: (name) => `${name}: केवल PDF, चित्र और सादा टेक्स्ट जोड़े जा सकते हैं।`,
  ATTACHMENT_EMPTY: (name) => `${name} ख़ाली है या उसका आकार पता नहीं है।`,
  ATTACHMENT_TOO_LARGE: (name) => `${name} 10 MB से बड़ी है।`,
  FILES_CHANGED: 'जोड़ी गई फ़ाइलें उनके विवरण से मेल नहीं खातीं; उन्हें फिर से चुनें।',
  NOT_ALLOWED: (name) => `“${name}” नहीं जोड़ी जा सकती: केवल PDF, PNG, JPEG, WebP, GIF और सादा टेक्स्ट फ़ाइलें जोड़ी जा सकती हैं।`,
  UNRECOGNISED: (name, claimed) => `“${name}” ${kindNoun(claimed)} नहीं है (इसकी सामग्री PDF, PNG, JPEG, WebP, GIF या सादा टेक्स्ट नहीं है)।`,
  MISMATCH: (name, claimed, actual, ending) =>
    `“${name}” ${kindNoun(claimed)} नहीं है: इसकी सामग्री ${kindNoun(actual)} है। सही फ़ाइल चुनें${ending ? `, या इसका नाम बदलकर अंत में .${ending} लगाएँ` : ''}।`,
};

export const kitCode: typeof enKit = {
  EMPTY: 'अपनी रिकवरी किट पर छपा कोड टाइप करें या चिपकाएँ।',
  BAD_CHARACTER: (position, character) => `अक्षर ${n(position)} (“${character}”) रिकवरी किट में नहीं हो सकता: इसमें अंक और A–Z के अक्षर होते हैं, I, L, O और U के बिना।`,
  BAD_LENGTH: (expected, got) => `रिकवरी किट के कोड में ${n(expected)} अक्षर होते हैं; इसमें ${n(got)} हैं।`,
  TYPO: 'इस कोड में टाइप की ग़लती है: चार-चार अक्षरों का हर समूह अपनी किट से मिलाएँ।',
  NOT_A_KIT: 'यह medchain रिकवरी किट का कोड नहीं है (वे M1 से शुरू होते हैं)।',
  UNKNOWN_VERSION: 'यह रिकवरी किट ऐप के नए संस्करण से बनी है।',
};

export const findPatient: typeof enFind = {
  ID_LENGTH: 'मरीज़ आईडी में 11 अक्षर होते हैं, जैसे ABCDE-FGHJK-Z।',
  ID_CHARACTERS: 'मरीज़ आईडी में केवल अंक और A–Z के अक्षर होते हैं, I, L, O और U के बिना।',
  ID_TYPO: 'इस मरीज़ आईडी में टाइप की ग़लती है: इसका आख़िरी अक्षर मेल नहीं खाता।',
  OTHER_NETWORK: 'यह QR कोड किसी दूसरे medchain नेटवर्क का है।',
  NOT_FOUND: 'इस नेटवर्क पर इस आईडी वाला कोई रजिस्टर्ड मरीज़ नहीं है (अभी तक: नया रजिस्ट्रेशन ब्लॉक में आने के बाद दिखता है)।',
  SHARED_ID: 'दो मरीज़ों की यह छोटी आईडी एक जैसी है; इसके बजाय उनका QR कोड स्कैन करें।',
};

export const importFile: typeof enImport = {
  TOO_LARGE: (megabytes, maxMegabytes) =>
    `फ़ाइल ${n(megabytes)} MB की है; आयात के लिए FHIR बंडल अधिक से अधिक ${n(maxMegabytes)} MB का हो सकता है। हर फ़ाइल में कम रिकॉर्ड एक्सपोर्ट करें।`,
  EMPTY: 'फ़ाइल ख़ाली है।',
  NOT_TEXT: 'फ़ाइल टेक्स्ट (UTF-8) नहीं है; FHIR बंडल एक JSON टेक्स्ट फ़ाइल होता है।',
  NOT_JSON: 'फ़ाइल सही JSON नहीं है; FHIR बंडल की .json फ़ाइल चुनें।',
  NOT_BUNDLE: (resourceType) => `यह फ़ाइल ${resourceType ? `FHIR ${resourceType} है` : 'किसी दूसरे प्रकार का JSON है'}, FHIR बंडल नहीं।`,
  NO_ENTRIES: 'FHIR बंडल में कोई प्रविष्टि नहीं है: आयात करने को कुछ नहीं है।',
  TOO_MANY_ENTRIES: (count, max) => `FHIR बंडल में ${n(count)} प्रविष्टियाँ हैं; एक फ़ाइल से अधिक से अधिक ${n(max)} आयात की जा सकती हैं।`,
  NOTHING_TO_IMPORT: (skipped) => `FHIR बंडल में ऐसा कोई रिकॉर्ड नहीं है जिसे medchain आयात कर सके (${n(skipped)} प्रविष्टियाँ छोड़ी गईं)।`,
  skip: {
    BAD_BINARY: (id) => `Binary ${id}: इसका डेटा base64 नहीं है।`,
    NO_RESOURCE: (entry) => `प्रविष्टि ${n(entry)}: कोई रिसोर्स नहीं।`,
    NOT_KEPT: (entry, type) => `प्रविष्टि ${n(entry)}: ${type} ऐसा रिकॉर्ड नहीं है जिसे medchain रखता है।`,
    ATTACHMENT_MISSING: (entry, attachment) => `प्रविष्टि ${n(entry)}: संलग्न फ़ाइल ${n(attachment)} नहीं है।`,
    ATTACHMENT_SIZE: (entry, attachment) => `प्रविष्टि ${n(entry)}: संलग्न फ़ाइल ${n(attachment)} का आकार उसके रिकॉर्ड में लिखे आकार से अलग है।`,
    FORM: (entry, type) => `प्रविष्टि ${n(entry)} (${type}):`,
    CONSENT: (entry) => `प्रविष्टि ${n(entry)}: सहमति आयात नहीं की जाती। सहमति केवल नेटवर्क पर दी जाती है: इसे “सहमति” में फिर से दें।`,
  },
};
