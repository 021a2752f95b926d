/**
 * The real relay for browser tests and `medchain bench`: `node
 * bin/medchain.mjs relay --port 0` as its own process on 127.0.0.1 (inside
 * the run's network namespace), its address read from the line it prints
 * once listening.
 */
import { spawn } from 'node:child_process';
import { ROOT } from './harness-bundle';

export interface RelayProcess {
  readonly url: string;
  stop(): Promise<void>;
}

export function startRelayProcess(): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['bin/medchain.mjs', 'relay', '--host', '127.0.0.1', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.resume();
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`relay did not start: ${out}`));
    }, 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /medchain relay: (wss?:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited (${code}): ${out}`));
    });
  });
}
