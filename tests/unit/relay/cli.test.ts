/**
 * `medchain relay` as a real process (SPEC §8, §9: the real relay process):
 * `--port 0` prints the bound port, clients exchange frames through it, and
 * SIGTERM closes it gracefully (clients see 1001, exit code 0).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run';
import { TestClient } from './helpers';

const BIN = path.resolve(__dirname, '../../../bin/medchain.mjs');

describe('medchain relay', () => {
  it('runs as a process on 127.0.0.1, prints its address, relays, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'relay', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /medchain relay: (ws:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`relay exited: ${out} ${stderr}`)));
    });
    const [a, b] = await Promise.all([TestClient.open(url), TestClient.open(url)]);
    a.subscribe('room');
    b.subscribe('room');
    await Promise.all([a.sync(), b.sync()]);
    a.send({ type: 'publish', topic: 'room', data: 'hello' });
    expect(await b.until(1)).toEqual(['{"type":"publish","topic":"room","data":"hello"}']);
    child.kill('SIGTERM');
    expect((await a.closed).code).toBe(1001);
    expect(await exited).toBe(0);
    expect(stderr).toContain('relay connect client=1 clients=1');
    expect(stderr).not.toContain('hello');
  }, 20_000);

  it('refuses bad options with usage errors', async () => {
    expect((await cli(['relay', '--port', '70000'])).code).toBe(2);
    expect((await cli(['relay', '--bogus'])).code).toBe(2);
  });

  it('reports a port already in use as a usage error', async () => {
    const { relayCommand } = await import('../../../src/cli/relay');
    let release!: () => void;
    const stopFirst = new Promise<void>((r) => (release = r));
    let done!: Promise<number>;
    const first = new Promise<string>((resolve) => {
      done = relayCommand(['--port', '0'], { out: resolve, err: () => {}, now: () => 0, readStdin: async () => '' }, () => stopFirst);
    });
    const port = /:(\d+)$/.exec(await first)![1]!;
    const r = await cli(['relay', '--port', port]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('EADDRINUSE');
    release();
    expect(await done).toBe(0);
  });
});
