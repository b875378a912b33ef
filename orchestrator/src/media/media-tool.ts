import { spawn } from 'node:child_process';
import type { Logger } from '../../../shared/src/logger.js';
import { parseFfmpegTime } from './ffmpeg-progress.js';
import { normalizeProbe, type ProbeResult } from './probe-result.js';
import { StderrTail } from './stderr-tail.js';

export type { ProbeResult } from './probe-result.js';

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called with ffmpeg's output position in seconds as it renders. */
  onProgress?: (outTimeSec: number) => void;
}

/**
 * The one place in the orchestrator that spawns ffmpeg and ffprobe. Every
 * child is killed on abort or timeout, and always awaited before returning.
 */
export class MediaTool {
  private readonly ffmpegPath: string;
  private readonly ffprobePath: string;
  private readonly logger: Logger;

  constructor(opts: { ffmpegPath: string; ffprobePath: string; logger: Logger }) {
    this.ffmpegPath = opts.ffmpegPath;
    this.ffprobePath = opts.ffprobePath;
    this.logger = opts.logger;
  }

  async probe(path: string, signal?: AbortSignal): Promise<ProbeResult> {
    const args = ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path];
    const { stdout } = await this.spawnChecked({ bin: this.ffprobePath, args, opts: { signal, timeoutMs: 30_000 } });
    return normalizeProbe(stdout);
  }

  async run(args: string[], opts: RunOptions = {}): Promise<void> {
    await this.spawnChecked({ bin: this.ffmpegPath, args: ['-hide_banner', '-nostdin', '-y', ...args], opts });
  }

  private spawnChecked(call: { bin: string; args: string[]; opts: RunOptions }): Promise<{ stdout: string }> {
    const { bin, args, opts } = call;
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(abortError(opts.signal));
        return;
      }
      const started = Date.now();
      const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const stderr = new StderrTail();
      const stdoutChunks: Buffer[] = [];
      let stopReason: Error | undefined;

      const stop = (reason: Error): void => {
        if (stopReason) return;
        stopReason = reason;
        child.kill('SIGKILL');
      };
      const onAbort = (): void => stop(abortError(opts.signal));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = opts.timeoutMs
        ? setTimeout(() => stop(new Error(`${binName(bin)} timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs)
        : undefined;

      child.stdout.on('data', (c: Buffer) => stdoutChunks.push(c));
      child.stderr.on('data', (c: Buffer) => {
        stderr.push(c);
        if (opts.onProgress) {
          const t = parseFfmpegTime(c.toString());
          if (t !== undefined) opts.onProgress(t);
        }
      });

      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      child.on('error', (err) => {
        cleanup();
        reject(new Error(`could not start ${binName(bin)}: ${err.message}`));
      });
      child.on('close', (code, sig) => {
        cleanup();
        const ms = Date.now() - started;
        if (stopReason) {
          this.logger.warn({ bin: binName(bin), ms, reason: stopReason.message }, 'media process stopped');
          reject(stopReason);
          return;
        }
        if (code !== 0) {
          const tail = stderr.toString();
          this.logger.warn({ bin: binName(bin), code, signal: sig, ms }, 'media process failed');
          reject(new Error(`${binName(bin)} exited with ${code ?? sig}: ${tail || '(no stderr)'}`));
          return;
        }
        this.logger.debug({ bin: binName(bin), ms }, 'media process done');
        resolve({ stdout: Buffer.concat(stdoutChunks).toString('utf8') });
      });
    });
  }
}

function binName(bin: string): string {
  return /ffprobe[^/\\]*$/.test(bin) ? 'ffprobe' : 'ffmpeg';
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('media process aborted');
  err.name = 'AbortError';
  return err;
}
