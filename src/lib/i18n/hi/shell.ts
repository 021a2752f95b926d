/** The app shell in Hindi (the English in ../en/shell.ts is the contract). */
import type { shell as en, status as enStatus } from '../en/shell';
import { formatNumber } from '../format';

const n = (x: number) => formatNumber('hi', x);
/** What comes back of stored blocks another version made (the end of `status.storedOtherVersion`). */
const fromPeers = ' नेटवर्क पर आपके रिकॉर्ड इसी संस्करण वाले दूसरे नोडों से वापस आते हैं; जो नेटवर्क सिर्फ़ किसी दूसरे संस्करण से बना है, वह यहाँ नहीं खुल सकता।';

export const shell: typeof en = {
  skip: 'सीधे मुख्य सामग्री पर जाएँ',
  modes: 'मोड',
  patient: 'मरीज़',
  clinician: 'डॉक्टर / स्टाफ़',
  explorer: 'एक्सप्लोरर',
  language: 'भाषा',
  updateReady: 'medchain का नया संस्करण तैयार है।',
  reload: 'अपडेट के लिए फिर से लोड करें',
  offlineReady: 'medchain इस डिवाइस पर सहेज लिया गया है और बिना इंटरनेट के भी खुलेगा।',
  ok: 'ठीक है',
};

export const status: typeof enStatus = {
  label: 'नोड की स्थिति',
  placeholder: 'जब तक यह डिवाइस किसी नेटवर्क से नहीं जुड़ता, कुछ भी भेजा या पाया नहीं जाता।',
  joinOrFound: 'किसी नेटवर्क से जुड़ें या नया नेटवर्क बनाएँ',
  notConnected: (offline) => `इस डिवाइस पर अभी कोई नेटवर्क नहीं है${offline ? ' · डिवाइस ऑफ़लाइन है' : ''}`,
  offline: 'ऑफ़लाइन',
  connecting: 'जुड़ रहा है…',
  noRelay: 'कोई रिले नहीं मिल रहा: दूसरे नोड नहीं ढूँढ सकते, फिर कोशिश हो रही है',
  connected: (peers, relayed) => `${n(peers)} ${peers === 1 ? 'नोड' : 'नोडों'} से जुड़ा${relayed ? ` (${n(relayed)} TURN के ज़रिए)` : ''}`,
  blocked: (why) => `दूसरे नोडों तक नहीं पहुँच सकते: सीधा कनेक्शन रुका हुआ है और ${why}`,
  turnNone: 'कोई TURN सर्वर सेट नहीं है',
  turnDown: 'TURN सर्वर डेटा आगे नहीं भेज रहा',
  turnUnknown: 'किसी TURN सर्वर ने जवाब नहीं दिया',
  syncNotStarted: 'सिंक: शुरू नहीं हुआ',
  upToDate: 'पूरी तरह अपडेट',
  syncing: (have, target) => `${n(target)} में से ${n(have)} ब्लॉक सिंक हुए`,
  miningUnknown: 'माइनिंग: चल नहीं रही',
  miningOff: 'माइनिंग बंद',
  miningWaiting: 'माइनिंग: काम का इंतज़ार',
  mining: 'माइनिंग चल रही है',
  pending: (count) => `${n(count)} इस डिवाइस पर सहेजे गए, बाद में सिंक होंगे`,
  storedOtherVersion: (count, from) =>
    count === 1
      ? `इस डिवाइस पर ${n(count)} सहेजा गया ब्लॉक${from === null ? '' : ` (ऊँचाई ${n(from)} पर)`} है जिसे medchain का यह संस्करण नहीं पढ़ सकता: उसे किसी दूसरे संस्करण ने बनाया था। कुछ भी मिटाया नहीं गया: वह इस ब्राउज़र के स्टोरेज में रखा है।${fromPeers}`
      : `इस डिवाइस पर ${n(count)} सहेजे गए ब्लॉक${from === null ? '' : ` (ऊँचाई ${n(from)} से)`} हैं जिन्हें medchain का यह संस्करण नहीं पढ़ सकता: उन्हें किसी दूसरे संस्करण ने बनाया था। कुछ भी मिटाया नहीं गया: वे इस ब्राउज़र के स्टोरेज में रखे हैं।${fromPeers}`,
  storedDamaged: (count, from) =>
    count === 1
      ? `${n(count)} सहेजा गया ब्लॉक${from === null ? '' : ` (ऊँचाई ${n(from)} पर)`} ख़राब हो गया था और दूसरे नोडों से फिर से लाया जाएगा।`
      : `${n(count)} सहेजे गए ब्लॉक${from === null ? '' : ` (ऊँचाई ${n(from)} से)`} ख़राब हो गए थे और दूसरे नोडों से फिर से लाए जाएँगे।`,
  storedRepaired: (count) =>
    count === 1
      ? `${n(count)} सहेजा गया ब्लॉक, जो पढ़ा नहीं जा सका था, दूसरे नोडों से वापस आ गया।`
      : `${n(count)} सहेजे गए ब्लॉक, जो पढ़े नहीं जा सके थे, दूसरे नोडों से वापस आ गए।`,
};
