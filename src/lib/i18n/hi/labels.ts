/** Words for ledger codes in Hindi; kinds of record keep the English word in brackets where doctors use it. */
import { Category, Purpose, StaffRole } from '../../core/payload-fields';
import type { labels as en } from '../en/labels';

export const labels: typeof en = {
  category: {
    [Category.Consultation]: 'परामर्श नोट',
    [Category.Prescription]: 'दवा की पर्ची (प्रिस्क्रिप्शन)',
    [Category.LabReport]: 'लैब रिपोर्ट (जाँच रिपोर्ट)',
    [Category.Imaging]: 'इमेजिंग (एक्स-रे, स्कैन)',
    [Category.DischargeSummary]: 'डिस्चार्ज सारांश (छुट्टी का सारांश)',
    [Category.Immunization]: 'टीकाकरण',
    [Category.Allergy]: 'एलर्जी',
    [Category.Other]: 'अन्य',
  },
  purpose: {
    [Purpose.Treatment]: 'इलाज',
    [Purpose.Referral]: 'रेफ़रल (दूसरे अस्पताल भेजना)',
    [Purpose.SecondOpinion]: 'दूसरी राय',
    [Purpose.Emergency]: 'आपातकाल',
    [Purpose.Payment]: 'भुगतान (बीमा, बिल)',
    [Purpose.PublicHealth]: 'जन स्वास्थ्य',
    [Purpose.Research]: 'शोध',
    [Purpose.PatientRequest]: 'मरीज़ का अपना अनुरोध',
  },
  role: {
    [StaffRole.Clinician]: 'डॉक्टर',
    [StaffRole.Nurse]: 'नर्स',
    [StaffRole.Technician]: 'तकनीशियन',
    [StaffRole.Clerk]: 'क्लर्क',
  },
  consent: {
    granted: 'सहमति दी गई',
    requested: 'पहुँच का अनुरोध किया, अभी जवाब नहीं',
    referred: 'रेफ़रल, अभी सहमति नहीं',
    refused: 'मरीज़ ने अनुरोध अस्वीकार किया',
    unanswered: 'जवाब नहीं मिला, अनुरोध की अवधि समाप्त',
    expired: 'सहमति की अवधि समाप्त',
    revoked: 'सहमति वापस ली गई',
  },
};
