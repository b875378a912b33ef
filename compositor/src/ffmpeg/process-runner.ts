import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/**
 * The one place that spawns ffmpeg and ffprobe. Every call takes an
 * AbortSignal: aborting (cancel, shutdown, timeout) kills the process.
 */
export interface RunOptions {
  command: string;
  args: string[];
  signal?: AbortSignal;
  timeoutMs?: number;
  onStdoutLine?: (line: string) => void;
  /** Keep all of stdout (ffprobe JSON) instead of streaming it line by line. */
  collectStdout?: boolean;
  /** Poll /proc for the child's peak resident memory (for the benchmark and logs). */
  measureMemory?: boolean;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderrTail: string;
  peakRssBytes?: number;
  wallMs: number;
}

export class ProcessFailedError extends Error {
  constructor(message: string, readonly result: RunResult) {
    super(message);
    this.name = 'ProcessFailedError';
  }
}

export class ProcessAbortedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ProcessAbortedError';
  }
}

const STDERR_TAIL_BYTES = 8192;

async function readPeakRss(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function runProcess(options: RunOptions): Promise<RunResult> {
  const { command, args, signal, timeoutMs } = options;
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) {
      reject(new ProcessAbortedError(String(signal.reason ?? 'aborted')));
      return;
    }
    const started = Date.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdoutChunks: Buffer[] = [];
    let stderrTail = '';
    let peakRssBytes: number | undefined;
    let abortReason: string | undefined;

    const kill = (reason: string) => {
      abortReason ??= reason;
      child.kill('SIGKILL');
    };
    const onAbort = () => kill(String(signal?.reason instanceof Error ? signal.reason.message : (signal?.reason ?? 'aborted')));
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = timeoutMs ? setTimeout(() => kill(`timed out after ${timeoutMs} ms`), timeoutMs) : undefined;
    const poller =
      options.measureMemory && child.pid
        ? setInterval(() => {
            void readPeakRss(child.pid as number).then((v) => {
              if (v !== undefined) peakRssBytes = Math.max(peakRssBytes ?? 0, v);
            });
          }, 100)
        : undefined;

    if (options.collectStdout) {
      child.stdout.on('data', (chunk: Buffer) => stdoutChunks.push(chunk));
    } else {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => options.onStdoutLine?.(line));
    }
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });

    const cleanup = () => {
      signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
      if (poller) clearInterval(poller);
    };
    child.on('error', (err) => {
      cleanup();
      reject(err);
    });
    child.on('close', (exitCode, exitSignal) => {
      cleanup();
      const stdoutBytes = Buffer.concat(stdoutChunks);
      const result: RunResult = { exitCode, signal: exitSignal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderrTail, peakRssBytes, wallMs: Date.now() - started };
      if (abortReason) reject(new ProcessAbortedError(abortReason));
      else if (exitCode !== 0) reject(new ProcessFailedError(`${command.split('/').pop()} exited with ${exitCode ?? exitSignal}: ${lastLines(stderrTail)}`, result));
      else resolvePromise(result);
    });
  });
}

function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
