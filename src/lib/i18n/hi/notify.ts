/** The inboxes in Hindi (the English in ../en/notify.ts is the contract). */
import type { notify as enNotify } from '../en/notify';
import { formatNumber } from '../format';

const n = (x: number) => formatNumber('hi', x);

export const notify: typeof enNotify = {
  section: 'सूचनाएँ',
  unreadCount: (count) => `${n(count)} नई`,
  title: 'सूचनाएँ',
  hospitalTitle: 'अस्पताल की सूचनाएँ',
  nothing: 'कुछ नया नहीं।',
  unread: 'नई',
  markRead: 'पढ़ा हुआ मानें',
  markAllRead: 'सभी को पढ़ा हुआ मानें',
  askPermission: 'यह टैब पीछे हो, तब भी मुझे बताएँ',
  askHint: 'पहले आपका ब्राउज़र आपसे पूछेगा। ऐप खुला रहने पर यह डिवाइस ख़ुद सूचना दिखाता है; किसी दूसरी सेवा को कुछ नहीं भेजा जाता।',
  granted: 'ऐप खुला रहने पर यह डिवाइस आपको नई बातें बताएगा, टैब पीछे हो तब भी।',
  denied: 'आपके ब्राउज़र में इस साइट की सूचनाएँ बंद हैं, इसलिए नई बातें सिर्फ़ यहीं दिखेंगी। आप ब्राउज़र में इस साइट की सेटिंग से इन्हें चालू कर सकते हैं।',
  unsupported: 'यह ब्राउज़र सूचनाएँ नहीं दिखा सकता, इसलिए नई बातें सिर्फ़ यहीं दिखेंगी।',
  unknownHospital: 'अज्ञात अस्पताल',
  aClinician: 'एक अनाम डॉक्टर',
  notice: {
    request: (hospital) => `${hospital} आपके रिकॉर्ड देखने की अनुमति माँग रहा है।`,
    referral: (from, to) => `${from} ने आपको ${to} के पास रेफ़र किया है। क्या ${to} को अपने रिकॉर्ड देखने की सहमति देंगे?`,
    requestExpiring: (hospital, date) => `${hospital} का अनुरोध ${date} को समाप्त हो जाएगा, अगर आपने जवाब नहीं दिया।`,
    record: (hospital, kind) => `${hospital} ने आपका एक रिकॉर्ड जोड़ा: ${kind}।`,
    grantExpiring: (hospital, date) => `${hospital} को दी गई आपकी सहमति ${date} को समाप्त हो रही है।`,
    keysShared: (hospital, count) => `आपकी सहमति के अनुसार आपके ${count === 1 ? 'एक रिकॉर्ड' : `${n(count)} रिकॉर्ड`} ${hospital} से साझा किए गए।`,
    emergency: (hospital) => `${hospital} के एक डॉक्टर ने आपातकाल में आपके रिकॉर्ड खोले।`,
    nomineeEmergency: (hospital, patient) => `${hospital} के एक डॉक्टर ने आपातकाल में मरीज़ ${patient} के रिकॉर्ड खोले। उन्होंने आपको अपना नामित व्यक्ति बनाया है।`,
    reviewOverdue: (clinician, patient, hours) =>
      `${clinician} ने मरीज़ ${patient} के रिकॉर्ड आपातकाल में खोले थे; यह ${n(hours)} घंटे से ज़्यादा से आपकी समीक्षा का इंतज़ार कर रहा है।`,
    requestGranted: (patient) => `मरीज़ ${patient} ने माँगी गई सहमति दे दी।`,
    requestRefused: (patient) => `मरीज़ ${patient} ने पहुँच का आपका अनुरोध मना कर दिया।`,
    recoveryAsk: (patient) => `मरीज़ ${patient} आपके ज़रिए अपनी प्रोफ़ाइल वापस पाना चाहते हैं। अपना हिस्सा तभी दें जब आपने उनसे बात कर ली हो और पक्का हो कि वही हैं।`,
    recoveryAsked: (patient) =>
      `किसी ने आपके चुने हुए लोगों के ज़रिए आपकी प्रोफ़ाइल (${patient}) वापस पाने का अनुरोध किया है। अगर यह आप नहीं थे, तो उनसे कहें कि अपना हिस्सा न दें।`,
    recoveryShareLost: (holder, date, enough) =>
      `मरीज़ ${holder} ने ${date} को अपना पासफ़्रेज़ बदला और अब वे आपके लिए रखा वापसी हिस्सा नहीं खोल सकते। ${
        enough ? 'बाकी लोग अब भी ज़रूरी संख्या पूरी करते हैं, फिर भी वापसी फिर से चालू करने पर विचार करें।' : 'भरोसेमंद लोगों से वापसी अब काम नहीं करती: सेटिंग्स में इसे फिर से चालू करें।'
      }`,
    guardianOfYou: (hospital, guardian, date) => `${hospital} ने ${guardian} को आपके अभिभावक के रूप में पुष्टि की। ${date} को यह प्रोफ़ाइल आपको मिल जाएगी।`,
    guardianOfChild: (hospital, child, date) => `${hospital} ने ${date} तक ${child} के अभिभावक के रूप में आपकी पुष्टि की।`,
    handoverDue: (date) => `${date} से यह प्रोफ़ाइल आपकी है: नियंत्रण लेने के लिए अपना पासफ़्रेज़ चुनें (सेटिंग्स)।`,
    childOfAge: (child, date) => `${child} ${date} को वयस्क हो गए। उन्हें पासफ़्रेज़ दें ताकि वे अपना चुन सकें।`,
  },
  system: {
    request: 'आपके रिकॉर्ड के लिए नया अनुरोध',
    referral: 'नया रेफ़रल',
    requestExpiring: 'एक अनुरोध जल्द समाप्त होगा',
    record: 'नया रिकॉर्ड',
    grantExpiring: 'एक सहमति जल्द समाप्त होगी',
    keysShared: 'रिकॉर्ड साझा किए गए',
    emergency: 'आपके रिकॉर्ड आपातकाल में खोले गए',
    nomineeEmergency: 'आपातकालीन पहुँच: आप नामित व्यक्ति हैं',
    reviewOverdue: 'आपातकालीन पहुँच समीक्षा के इंतज़ार में',
    requestGranted: 'सहमति मिली',
    requestRefused: 'अनुरोध मना किया गया',
    recoveryAsk: 'कोई अपनी प्रोफ़ाइल वापस पाना चाहता है',
    recoveryAsked: 'किसी ने आपकी प्रोफ़ाइल वापस पाने का अनुरोध किया',
    recoveryShareLost: 'एक वापसी हिस्सा अब खुल नहीं सकता',
    guardianship: 'अभिभावकता की पुष्टि',
    handoverDue: 'एक प्रोफ़ाइल वयस्क हुई',
  },
  summary: (count) => `आपकी सूचनाओं में ${n(count)} नई बातें`,
  summaryTitle: 'आपकी सूचनाओं में नया',
};
