/**
 * The browser adapter of system notifications (issue 15): `unsupported`
 * without the Notifications API, the browser's answer otherwise, nothing
 * shown without permission, and nothing while the page is in front (the
 * inbox shows it there).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserNotifier } from '../../../../src/lib/app/notify/system';

/** A stand-in for the browser's `Notification` class: its permission, its answer to a request, what it was made with. */
function fakeApi(permission: NotificationPermission, answer: NotificationPermission = permission) {
  const made: { title: string; options?: NotificationOptions }[] = [];
  class FakeNotification {
    static permission = permission;
    static async requestPermission() {
      FakeNotification.permission = answer;
      return answer;
    }
    constructor(title: string, options?: NotificationOptions) {
      made.push({ title, options });
    }
  }
  vi.stubGlobal('Notification', FakeNotification);
  return made;
}

const sample = { title: 'New record', body: 'City Hospital added a record about you: Allergy.', tag: 'x:record' };

afterEach(() => vi.unstubAllGlobals());

describe('browser notifier', () => {
  it('says unsupported where there is no Notifications API', async () => {
    vi.stubGlobal('Notification', undefined);
    const n = browserNotifier();
    expect(n.permission()).toBe('unsupported');
    expect(await n.request()).toBe('unsupported');
    expect(() => n.show(sample)).not.toThrow();
  });

  it('asks only when told to, and shows nothing once refused', async () => {
    const made = fakeApi('default', 'denied');
    const n = browserNotifier();
    expect(n.permission()).toBe('default');
    n.show(sample);
    expect(await n.request()).toBe('denied');
    n.show(sample);
    expect(made).toEqual([]);
  });

  it('shows with permission while the page is in the background, not while it is in front', () => {
    const made = fakeApi('granted');
    vi.stubGlobal('document', { visibilityState: 'visible' });
    browserNotifier().show(sample);
    expect(made).toEqual([]);
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    browserNotifier().show(sample);
    expect(made).toEqual([{ title: sample.title, options: { body: sample.body, tag: sample.tag } }]);
  });
});
