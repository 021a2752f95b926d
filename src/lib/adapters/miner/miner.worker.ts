/**
 * The miner's Web Worker entry (SPEC §5: proof of work never on the UI
 * thread). Loaded by {@link spawnMinerWorker} as a module worker. Between
 * batches it yields through a MessageChannel rather than setTimeout, which
 * browsers clamp to 4 ms once timers nest.
 */
import { serveMiner } from './worker-host';

const scope = self as unknown as {
  postMessage(m: unknown): void;
  addEventListener(type: 'message', cb: (e: MessageEvent) => void): void;
};

const queue: (() => void)[] = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => queue.shift()?.();

serveMiner(
  { post: (m) => scope.postMessage(m), listen: (cb) => scope.addEventListener('message', (e) => cb(e.data)) },
  {
    now: () => performance.now(),
    yieldTask: (task) => {
      queue.push(task);
      channel.port2.postMessage(null);
    },
  },
);
