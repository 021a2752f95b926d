/**
 * System notifications (issue 15) behind a narrow interface: the browser's
 * Notifications API, raised by the open page itself — no push service, no
 * service-worker push. Permission is asked only when the person presses the
 * inbox's button, never on load. An installed app (or a browser such as
 * Chrome on Android, where `new Notification()` throws) shows it through
 * the service worker's `showNotification`, which is display only.
 * {@link memoryNotifier} is its twin for tests.
 */

/** Whether notices may be shown: the API's permission, or `unsupported` when the browser has no Notifications API. */
export type NotifyPermission = 'granted' | 'denied' | 'default' | 'unsupported';

/** One system notification: short words, and a tag so a repeat replaces rather than stacks. */
export interface SystemNotice {
  readonly title: string;
  readonly body: string;
  readonly tag: string;
}

export interface SystemNotifier {
  permission(): NotifyPermission;
  /** Asks the person (only from a button they pressed); resolves to the answer. */
  request(): Promise<NotifyPermission>;
  /** Shows `n`; only called once permission is granted. */
  show(n: SystemNotice): void;
}

type NotificationApi = {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): Notification;
};

/** The browser's Notifications API, or a notifier that says `unsupported` where there is none. */
export function browserNotifier(): SystemNotifier {
  const api = (globalThis as { Notification?: NotificationApi }).Notification;
  return {
    permission: () => (api ? api.permission : 'unsupported'),
    async request() {
      if (!api) return 'unsupported';
      try {
        return await api.requestPermission();
      } catch {
        // An old browser's callback-only form, or the request refused outright: read where it stands now.
        return api.permission;
      }
    },
    show(n) {
      if (!api || api.permission !== 'granted') return;
      // While the page is in front the inbox itself shows it; the system is told only when the person looks elsewhere.
      if (globalThis.document?.visibilityState === 'visible') return;
      const options: NotificationOptions = { body: n.body, tag: n.tag };
      try {
        new api(n.title, options);
      } catch {
        // Chrome on Android allows notifications only through a service worker registration: show it there (display only, no push).
        // A browser with neither drops it: the inbox still lists the notice.
        void globalThis.navigator?.serviceWorker?.ready.then((r) => r.showNotification(n.title, options)).catch(() => undefined);
      }
    },
  };
}

/** A notifier in memory: records what it showed, answers `request` with `answer` (tests). */
export function memoryNotifier(initial: NotifyPermission = 'default', answer: NotifyPermission = 'granted') {
  let state = initial;
  const shown: SystemNotice[] = [];
  const notifier: SystemNotifier = {
    permission: () => state,
    async request() {
      if (state === 'default') state = answer;
      return state;
    },
    show(n) {
      if (state === 'granted') shown.push(n);
    },
  };
  return { notifier, shown };
}
