/**
 * Issue 15's inboxes on the built app, a browser context per person, the
 * real relay, inside the private network namespace: hospital A asks the
 * patient for consent; the patient's "Inbox" section counts it unread and
 * lists it, "mark all read" clears the count, and with notifications allowed
 * the inbox says so instead of offering the button. The patient gives
 * consent; A's hospital inbox counts the answer. Screenshots in English and
 * Hindi, and no serious axe finding.
 */
import { expect, screenshot, test } from './setup/app';
import { axeSerious } from './setup/patient-flow';
import { A, CHAIN, cast, hospitalAndPatient, useStoryRelay } from './setup/story-cast';
import { openPatient, section } from './setup/story-steps';

test.use({ actionTimeout: 60_000 });
const relayUrl = useStoryRelay();

test('a request reaches the patient’s inbox; the answer reaches the hospital’s', async ({ browser, appUrl }, info) => {
  test.setTimeout(420_000);
  const people = cast(browser, info);
  const a = await people.open();
  const p = await people.open();
  await people.contexts[1]!.grantPermissions(['notifications']);
  try {
    let shortId = '';
    await test.step('A founds the network; the patient registers', async () => {
      shortId = await hospitalAndPatient(a.page, p.page, appUrl, relayUrl(), 'Inbox Network');
    });

    await test.step('A asks for access; the patient’s inbox counts and lists it', async () => {
      await openPatient(a.page, shortId);
      await a.page.getByRole('button', { name: 'Send request' }).click();
      await expect(a.page.getByText(/saved on this device/i).first()).toBeVisible({ timeout: 30_000 });
      const inbox = p.page.getByTestId('inbox-section');
      await expect(inbox).toContainText('1 unread', { timeout: CHAIN });
      await inbox.click();
      await expect(p.page.getByTestId('notices')).toContainText(`${A.hospital} asks for access to your records.`);
      await expect(p.page.getByText('This device tells you about new items')).toBeVisible();
      expect(await axeSerious(p.page)).toEqual([]);
      await screenshot(p.page, info, 'patient-inbox-en');
      await p.page.getByRole('combobox', { name: 'Language' }).selectOption('hi');
      await expect(p.page.getByTestId('notices')).toContainText('आपके रिकॉर्ड देखने की अनुमति माँग रहा है');
      await screenshot(p.page, info, 'patient-inbox-hi');
      await p.page.getByRole('combobox', { name: 'भाषा' }).selectOption('en');
      await p.page.getByRole('button', { name: 'Mark all as read' }).click();
      await expect(inbox).not.toContainText('unread');
    });

    await test.step('the patient gives consent; A’s hospital inbox counts the answer', async () => {
      await section(p.page, 'Requests');
      await p.page.getByRole('button', { name: 'Answer…' }).first().click({ timeout: CHAIN });
      await p.page.getByRole('button', { name: 'Give consent' }).click();
      await expect(p.page.getByText('Consent saved on this device')).toBeVisible();
      const summary = a.page.getByTestId('hospital-inbox');
      await expect(summary).toContainText('1 unread', { timeout: CHAIN });
      await summary.click();
      await expect(a.page.getByTestId('notices')).toContainText(/gave the consent you asked for/);
      expect(await axeSerious(a.page)).toEqual([]);
      await screenshot(a.page, info, 'hospital-inbox-en');
    });
    expect(a.problems).toEqual([]);
    expect(p.problems).toEqual([]);
  } catch (e) {
    await people.dump();
    throw e;
  } finally {
    await people.close();
  }
});
