/** The browser's online/offline signal (navigator.onLine and its events) as an {@link OnlineSignal}. */
import type { OnlineSignal } from './status';

export function browserOnlineSignal(): OnlineSignal {
  return {
    online: () => navigator.onLine,
    watch(onChange) {
      addEventListener('online', onChange);
      addEventListener('offline', onChange);
      return () => {
        removeEventListener('online', onChange);
        removeEventListener('offline', onChange);
      };
    },
  };
}
