/** Page side of the engine probe worker (engine-probe.worker.ts): one request, one answer. */

export interface EngineCheck {
  readonly engine: string;
  readonly failure: string | null;
}
export interface Rate {
  readonly overall: number;
  readonly best: number;
}
export interface EngineRates {
  readonly engine: string;
  readonly wasm: Rate;
  readonly js: Rate;
}

function ask<T>(request: unknown): Promise<T> {
  const worker = new Worker(new URL('./engine-probe.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<T>((resolve, reject) => {
    worker.onmessage = (e) => {
      worker.terminate();
      resolve(e.data as T);
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`engine probe worker failed: ${e.message}`));
    };
    worker.postMessage(request);
  });
}

/** The worker's engine and the property test's result over `runs` cases. */
export const engineCheck = (runs: number) => ask<EngineCheck>({ kind: 'check', runs });
/** Nonces per second in a worker, the default engine and the plain loop, `ms` each. */
export const engineRates = (ms: number) => ask<EngineRates>({ kind: 'rates', ms });
