/**
 * Steps of the people in the app's stories (issue 6's stories on one machine,
 * issue 12's across sites), so each spec says what happens and not how each
 * button is found: navigate, join by link, found a network as a hospital's
 * authority, log in as clinician or patient (retrying while a fresh device
 * syncs, as a person would; or refused, for credentials no one has),
 * register, open a patient by short id, read the history and the
 * explorer's final tip.
 */
import type { Page } from '@playwright/test';
import { expect } from './app';

export interface Person {
  readonly aadhaar: string;
  readonly pass: string;
}

/** Opens a section through the app's own navigation, so in-memory sign-ins survive. */
export async function nav(page: Page, label: 'Patient' | 'Clinician' | 'Explorer' | 'medchain'): Promise<void> {
  if (label === 'medchain') await page.locator('a.brand').click();
  else await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
}

export async function joinByLink(page: Page, link: string, timeout = 60_000): Promise<void> {
  await page.goto(link);
  await page.getByRole('button', { name: /^Join network / }).click();
  await expect(page.getByTestId('network-running')).toBeVisible({ timeout });
}

/**
 * Fills the founding form (network, hospital, relays when given, the
 * authority's Aadhaar number and passphrase); `before` runs before the
 * submit (screenshots). Resolves once the authority is signed in.
 */
export async function foundAsHospital(
  page: Page,
  appUrl: string,
  o: Person & { network: string; hospital: string; relays?: string },
  before: () => Promise<void> = async () => {},
): Promise<void> {
  await page.goto(`${appUrl}clinician`);
  await page.locator('#found-networkName').fill(o.network);
  await page.locator('#found-hospitalName').fill(o.hospital);
  if (o.relays !== undefined) await page.locator('#found-relay').fill(o.relays);
  await page.locator('#found-aadhaar').fill(o.aadhaar);
  await page.locator('#found-aadhaar').press('Tab');
  await page.locator('#found-passphrase').fill(o.pass);
  await page.locator('#found-confirm').fill(o.pass);
  await before();
  await page.getByRole('button', { name: 'Found the network' }).click();
  await expect(page.getByText(`Signed in as the authority of ${o.hospital}`)).toBeVisible({ timeout: 60_000 });
}

/** The join link the start screen offers once a network runs. */
export async function shareLink(page: Page): Promise<string> {
  await nav(page, 'medchain');
  return page.getByLabel('Link to join this network').inputValue();
}

export async function clinicianLogIn(page: Page, who: Person): Promise<void> {
  await nav(page, 'Clinician');
  await page.locator('#clin-aadhaar').fill(who.aadhaar);
  await page.locator('#clin-aadhaar').press('Tab');
  await page.locator('#clin-passphrase').fill(who.pass);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible({ timeout: 60_000 });
}

/** A joined hospital's authority applies; `approver` (a member's signed-in authority) approves; resolves once the applicant is a member. */
export async function applyAndApprove(
  applicant: Page,
  approver: Page,
  who: Person & { hospital: string },
  timeout: number,
  pending: () => Promise<void> = async () => {},
): Promise<void> {
  await clinicianLogIn(applicant, who);
  await applicant.getByLabel('Hospital name').fill(who.hospital);
  await applicant.getByRole('button', { name: 'Apply to join' }).click();
  await expect(applicant.getByTestId('join-pending')).toBeVisible({ timeout });
  await pending();
  await approver.getByRole('button', { name: `Approve ${who.hospital}` }).click({ timeout });
  await expect(applicant.getByText(`Signed in as the authority of ${who.hospital}`)).toBeVisible({ timeout });
}

/** The role the page's node reports (`validator` once a hospital's device votes). */
export function nodeRole(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as { medchain?: { status(): { role: string } } }).medchain?.status().role);
}

/** Fills and sends the registration form on the page; resolves once the patient's screen shows, and again once the registration is in a block. */
export async function submitRegistration(page: Page, who: Person & { name: string }, shownTimeout: number, chainTimeout: number): Promise<void> {
  await page.locator('#reg-aadhaar').fill(who.aadhaar);
  await page.locator('#reg-aadhaar').press('Tab');
  await page.locator('#reg-name').fill(who.name);
  await page.locator('#reg-passphrase').fill(who.pass);
  await page.locator('#reg-confirm').fill(who.pass);
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByRole('navigation', { name: 'Your records' })).toBeVisible({ timeout: shownTimeout });
  await expect(page.getByTestId('registration')).toHaveCount(0, { timeout: chainTimeout });
}

/** Registers through the Patient section's own navigation; resolves once the registration is in a block. */
export async function registerInApp(page: Page, who: Person & { name: string }, timeout: number): Promise<void> {
  await nav(page, 'Patient');
  await page.getByRole('link', { name: 'Register' }).click();
  await submitRegistration(page, who, 60_000, timeout);
}

/** Opens the log-in form through the app's navigation and fills it (a session in memory survives in-app navigation). */
async function fillLogIn(page: Page, who: Person): Promise<void> {
  await nav(page, 'Patient');
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.locator('#login-aadhaar').fill(who.aadhaar);
  await page.locator('#login-aadhaar').press('Tab');
  await page.locator('#login-passphrase').fill(who.pass);
}

/**
 * Sends the filled log-in form and waits for the records or a refusal;
 * returns the refusal's code (UNKNOWN_PATIENT, SYNCING, NO_NETWORK) or null
 * when the records opened.
 */
async function sendLogIn(page: Page): Promise<string | null> {
  const records = page.getByRole('navigation', { name: 'Your records' });
  const refused = page.getByTestId('login-refused');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(refused).toBeHidden(); // a new try clears the last answer at once, then derives the keys for seconds
  await expect(records.or(refused)).toBeVisible({ timeout: 60_000 });
  return (await records.isVisible()) ? null : refused.getAttribute('data-code');
}

/**
 * Logs a registered patient in as a person would: a device that joined
 * moments ago may answer that it is still syncing, and then they press
 * Log in again (each try runs the KDF again) until `timeout`.
 */
export async function patientLogIn(page: Page, who: Person, timeout = 120_000): Promise<void> {
  await fillLogIn(page, who);
  const deadline = Date.now() + timeout;
  for (;;) {
    const code = await sendLogIn(page);
    if (code === null) return;
    if (code !== 'SYNCING' || Date.now() > deadline) throw new Error(`log in refused: ${code}`);
  }
}

/** Logs in with credentials the network does not know (a mistyped passphrase); resolves with the refusal's code once shown. */
export async function patientLogInRefused(page: Page, who: Person): Promise<string | null> {
  await fillLogIn(page, who);
  return sendLogIn(page);
}

/** One of the patient's sections (Records, Add a record, Requests, Consent, My card, …). */
export async function section(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Your records' }).getByRole('button', { name, exact: true }).click();
}

/** The short id the patient reads out at reception (My card). */
export async function patientShortId(page: Page): Promise<string> {
  await section(page, 'My card');
  return (await page.getByTestId('short-id').textContent())!.trim();
}

/** The clinician opens the patient by the short id the patient reads out. */
export async function openPatient(page: Page, shortId: string): Promise<void> {
  const back = page.getByRole('button', { name: 'Back to patients' });
  if (await back.isVisible()) await back.click();
  await page.locator('#find-id').fill(shortId);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await expect(page.getByRole('heading', { name: /^Patient / })).toBeVisible();
}

/** The open patient's history list on the clinician's screen. */
export function history(page: Page) {
  return page.getByTestId('history');
}

/** The explorer's final height and final tip, as one comparable string. */
export async function finalTip(page: Page): Promise<string> {
  const height = await page.getByTestId('final-height').textContent();
  const tip = await page.locator('tr[data-status="final"] a').first().textContent();
  return `${height}/${tip}`;
}
