import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

// import.meta.resolve is not available under every loader (tsx rewrites it); require.resolve is.
const ESPEAK_URL = pathToFileURL(createRequire(import.meta.url).resolve('espeak-ng')).href;

// Plain JS for the worker so it runs the same under tsx and compiled builds.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { default: ESpeakNg } = await import(workerData.moduleUrl);
  const errors = [];
  const espeak = await ESpeakNg({
    arguments: workerData.args,
    preRun: [(m) => m.FS.writeFile(workerData.textFile, workerData.text)],
    print: () => {},
    printErr: (line) => errors.push(String(line)),
  });
  let wav;
  try { wav = espeak.FS.readFile(workerData.wavFile); } catch { wav = undefined; }
  parentPort.postMessage({ wav, errors });
})().catch((err) => parentPort.postMessage({ error: String((err && err.message) || err) }));
`;

export interface EspeakJob {
  args: string[];
  text: string;
  textFile: string;
  wavFile: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Runs espeak-ng (WASM) in a worker thread: its ~200 ms of synchronous work
 * stays off the event loop, and abort or timeout can terminate it.
 */
export function runEspeak(job: EspeakJob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    if (job.signal?.aborted) {
      reject(job.signal.reason instanceof Error ? job.signal.reason : new Error('narration aborted'));
      return;
    }
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { moduleUrl: ESPEAK_URL, args: job.args, text: job.text, textFile: job.textFile, wavFile: job.wavFile },
    });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      job.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = (): void => finish(() => reject(job.signal?.reason instanceof Error ? job.signal.reason : new Error('narration aborted')));
    const timer = setTimeout(() => finish(() => reject(new Error(`espeak-ng timed out after ${job.timeoutMs ?? 30_000} ms`))), job.timeoutMs ?? 30_000);
    job.signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (msg: { wav?: Uint8Array; errors?: string[]; error?: string }) => {
      if (msg.error) finish(() => reject(new Error(`espeak-ng failed: ${msg.error}`)));
      else if (!msg.wav || msg.wav.length <= 44) finish(() => reject(new Error(`espeak-ng produced no audio${msg.errors?.length ? `: ${msg.errors.join(' ')}` : ''}`)));
      else {
        const wav = msg.wav;
        finish(() => resolve(wav));
      }
    });
    worker.once('error', (err) => finish(() => reject(new Error(`espeak-ng worker failed: ${err.message}`))));
    worker.once('exit', (code) => finish(() => reject(new Error(`espeak-ng worker exited with ${code} before answering`))));
  });
}
