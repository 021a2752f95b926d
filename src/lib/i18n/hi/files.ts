/** The patient's file screens in Hindi (the English in ../en/files.ts is the contract). */
import type { exporting as enExport, importing as enImport, upload as enUpload } from '../en/files';
import { formatNumber } from '../format';

const n = (x: number) => formatNumber('hi', x);

export const upload: typeof enUpload = {
  title: 'रिकॉर्ड जोड़ें',
  intro: 'यह इसी डिवाइस पर आपके लिए और उन अस्पतालों के लिए एन्क्रिप्ट किया जाता है जिन्हें आपने इस प्रकार के रिकॉर्ड की सहमति दी है।',
  kind: 'रिकॉर्ड का प्रकार',
  recordTitle: 'शीर्षक',
  date: 'रिकॉर्ड की तारीख़',
  author: 'डॉक्टर या लैब (वैकल्पिक)',
  values: 'मान / रीडिंग (वैकल्पिक)',
  name: 'नाम',
  value: 'मान',
  remove: 'हटाएँ',
  removeValue: (i) => `मान ${n(i)} हटाएँ`,
  removeFile: (name) => `${name} हटाएँ`,
  addValue: 'मान जोड़ें',
  notes: 'टिप्पणी',
  attachments: 'संलग्न फ़ाइलें (PDF, PNG, JPEG, WebP, GIF या सादा टेक्स्ट, हर फ़ाइल 10 MB तक)',
  kb: (kb) => `${n(kb)} KB`,
  reading: (name) => `${name} पढ़ी जा रही है`,
  unreadable: (name) => `${name} पढ़ी नहीं जा सकी`,
  sealing: 'इस डिवाइस पर एन्क्रिप्ट किया जा रहा है',
  storing: 'एन्क्रिप्ट की गई फ़ाइलें रखी जा रही हैं',
  sending: 'भेजा जा रहा है',
  saving: 'सहेजा जा रहा है…',
  save: 'रिकॉर्ड सहेजें',
  saved: 'इस डिवाइस पर सहेजा गया; यह सिंक होगा और ब्लॉक में आने के बाद आपकी टाइमलाइन पर दिखेगा।',
  fix: 'कृपया चिह्नित जगहें ठीक करें; कुछ भी सहेजा नहीं गया।',
};

export const exporting: typeof enExport = {
  title: 'निर्यात',
  intro: 'एक FHIR R4 बंडल, जिसे दूसरी स्वास्थ्य प्रणालियाँ आयात कर सकती हैं, या काग़ज़ पर प्रति। दोनों इसी डिवाइस पर बनते हैं; इन्हें सुरक्षित रखें।',
  download: 'FHIR बंडल (JSON) डाउनलोड करें',
  printable: 'प्रिंट के लिए दृश्य',
  exported: (count, missing) => `${n(count)} रिकॉर्ड निर्यात हुए।` + (missing ? ` ${n(missing)} अभी इस डिवाइस पर नहीं खुल सके, इसलिए छोड़ दिए गए।` : ''),
  failed: (why) => `निर्यात विफल रहा: ${why}`,
  recordsOf: (name) => `${name} के स्वास्थ्य रिकॉर्ड`,
  attachments: (names) => `संलग्न फ़ाइलें: ${names}`,
};

export const importing: typeof enImport = {
  title: 'FHIR बंडल आयात करें',
  intro: (mb) =>
    `किसी FHIR R4 बंडल से रिकॉर्ड जोड़ें (अधिकतम ${n(mb)} MB की .json फ़ाइल, जैसे किसी दूसरे खाते का निर्यात)। आपका चुना हर रिकॉर्ड आपका अपना बन जाता है और आपके जोड़े रिकॉर्ड की तरह इसी डिवाइस पर एन्क्रिप्ट होता है। जो रिकॉर्ड पहले से आपके इतिहास में हैं, वे चिह्नित रहते हैं और उन पर टिक नहीं लगता।`,
  file: 'FHIR बंडल फ़ाइल (JSON)',
  reading: (name) => `${name} पढ़ी जा रही है…`,
  refused: (name, why) => `${name}: ${why} कुछ भी आयात नहीं हुआ।`,
  unreadable: (name, why) => `${name} पढ़ी नहीं जा सकी: ${why}। कुछ भी आयात नहीं हुआ।`,
  stopped: (why) => `आयात रुक गया: ${why}`,
  choose: (name) => `${name} के रिकॉर्ड: चुनें कि कौन-से आयात करने हैं`,
  unopened: (count) => `आपके ${n(count)} रिकॉर्ड अभी इस डिवाइस पर नहीं खुल सके, इसलिए उनमें दोहराव की जाँच नहीं हो सकी।`,
  noAttachments: 'कोई संलग्न फ़ाइल नहीं',
  duplicate: 'पहले से आपके इतिहास में',
  skipped: (count) => `फ़ाइल की ${n(count)} ${count === 1 ? 'प्रविष्टि' : 'प्रविष्टियाँ'} आयात नहीं हो ${count === 1 ? 'सकती' : 'सकतीं'}`,
  progress: (done, total, title, stage) => `${n(total)} में से रिकॉर्ड ${n(done)} आयात हो रहा है (${title}): ${stage}`,
  sealing: 'इस डिवाइस पर एन्क्रिप्ट हो रहा है',
  storing: 'एन्क्रिप्ट की गई फ़ाइलें रखी जा रही हैं',
  sending: 'भेजा जा रहा है',
  importingNow: 'आयात हो रहा है…',
  run: (count) => `${n(count)} रिकॉर्ड आयात करें`,
  cancel: 'रद्द करें',
  imported: (count, titles) => `${n(count)} रिकॉर्ड आयात हुए: ${titles}। ये इस डिवाइस पर सहेजे गए हैं; सिंक होंगे और ब्लॉक में आने के बाद आपकी टाइमलाइन पर दिखेंगे।`,
  notImported: (title, why) => `“${title}” आयात नहीं हुआ: ${why}`,
  notTried: (titles) => `ये भी आयात नहीं हुए (आयात वहीं रुक गया): ${titles}।`,
  again: 'बाक़ी आयात करने के लिए फ़ाइल फिर से चुनें; जो आयात हो चुके हैं वे चिह्नित रहेंगे।',
};
