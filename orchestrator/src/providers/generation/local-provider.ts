import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import PQueue from 'p-queue';
import { AppError } from '../../../../shared/src/errors.js';
import type { Logger } from '../../../../shared/src/logger.js';
import type { MediaTool } from '../../media/media-tool.js';
import { frameSize, type RenderSize } from './frame-size.js';
import { buildLocalRenderArgs, cardLayout } from './local-render-args.js';
import { moveFile } from './move-file.js';
import { promptCardText } from './prompt-card-text.js';
import type { GenerationProvider, GenerationRequest, GenerationStatus } from './types.js';

export interface LocalProviderOptions {
  workDir: string;
  size: RenderSize;
  fontPath?: string;
  maxParallel?: number;
  /** Upper bound of one render; default 10 minutes. */
  renderTimeoutMs?: number;
}

type Job =
  | { state: 'rendering'; controller: AbortController; progress?: number }
  | { state: 'failed'; reason: string };

const JOB_PREFIX = 'local_';
const DEFAULT_RENDER_TIMEOUT_MS = 600_000;
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Renders clips with ffmpeg from the prompt, so the product works offline.
 * The finished clip is `<workDir>/local_<videoId>.mp4`; renders write a
 * `.part` file first and rename it when complete, so the presence of the
 * final name means "done" — which is what lets a restarted process pick up.
 */
export class LocalProvider implements GenerationProvider {
  readonly name = 'local';
  private readonly jobs = new Map<string, Job>();
  private readonly queue: PQueue;

  constructor(
    private readonly opts: LocalProviderOptions,
    private readonly deps: { media: MediaTool; logger: Logger },
  ) {
    this.queue = new PQueue({ concurrency: Math.max(1, opts.maxParallel ?? 1) });
    if (!opts.fontPath) deps.logger.warn('local provider has no font: clips will carry no on-screen prompt text');
  }

  async submit(req: GenerationRequest): Promise<{ providerJobId: string }> {
    const providerJobId = jobIdFor(req.videoId);
    const known = this.jobs.get(providerJobId);
    // A resubmit after a failure tries again; a running or finished render is reused.
    if (known?.state !== 'rendering' && !existsSync(this.finalPath(providerJobId))) this.start(providerJobId, req);
    return { providerJobId };
  }

  async poll(providerJobId: string, req: GenerationRequest): Promise<GenerationStatus> {
    const job = this.jobs.get(this.checkId(providerJobId));
    if (job?.state === 'rendering') return job.progress === undefined ? { state: 'processing' } : { state: 'processing', progress: job.progress };
    if (job?.state === 'failed') return { state: 'failed', reason: job.reason };
    if (existsSync(this.finalPath(providerJobId))) return { state: 'succeeded' };
    // Unknown here and not finished: this process restarted mid-render (or never saw it). Render again.
    this.deps.logger.info({ providerJobId }, 'local render not found; restarting it');
    this.start(providerJobId, req);
    return { state: 'processing' };
  }

  async fetchOutput(providerJobId: string, destPath: string): Promise<void> {
    const finalPath = this.finalPath(this.checkId(providerJobId));
    if (!existsSync(finalPath)) throw new AppError('not_found', `Local render ${providerJobId} is not finished.`);
    await moveFile(finalPath, destPath);
  }

  async cancel(providerJobId: string): Promise<void> {
    const job = this.jobs.get(this.checkId(providerJobId));
    if (job?.state === 'rendering') job.controller.abort();
    this.jobs.delete(providerJobId);
  }

  /** Resolves when every queued and running render has settled (tests, shutdown). */
  async idle(): Promise<void> {
    await this.queue.onIdle();
  }

  private start(providerJobId: string, req: GenerationRequest): void {
    const controller = new AbortController();
    const job: Job & { state: 'rendering' } = { state: 'rendering', controller };
    this.jobs.set(providerJobId, job);
    // A cancel (or a later restart of the same id) replaces the entry; only touch our own.
    const stillOurs = (): boolean => this.jobs.get(providerJobId) === job;
    this.queue
      .add(() => this.render({ providerJobId, req, signal: controller.signal, onProgress: (p) => (job.progress = p) }), { signal: controller.signal })
      .then(() => {
        if (stillOurs()) this.jobs.delete(providerJobId);
      })
      .catch((err: unknown) => {
        const reason = err instanceof Error ? err.message : String(err);
        if (!stillOurs()) return;
        if (controller.signal.aborted) {
          this.jobs.delete(providerJobId);
          return;
        }
        this.deps.logger.warn({ providerJobId, err: reason }, 'local render failed');
        this.jobs.set(providerJobId, { state: 'failed', reason: `Local render failed: ${reason}` });
      });
  }

  private async render(call: { providerJobId: string; req: GenerationRequest; signal: AbortSignal; onProgress: (fraction: number) => void }): Promise<void> {
    const { providerJobId, req, signal } = call;
    await mkdir(this.opts.workDir, { recursive: true });
    await this.removeLeftovers(providerJobId);
    const token = nanoid(8);
    const partPath = join(this.opts.workDir, `${providerJobId}.${token}.part`);
    const textPath = join(this.opts.workDir, `${providerJobId}.${token}.txt`);
    const started = Date.now();
    try {
      const { width, height } = frameSize(req.aspectRatio, this.opts.size);
      await writeFile(textPath, promptCardText(req.prompt, cardLayout(width, height)), 'utf8');
      const args = buildLocalRenderArgs({ req, size: this.opts.size, fontPath: this.opts.fontPath, textFilePath: textPath, outPath: partPath });
      await this.deps.media.run(args, {
        signal,
        timeoutMs: this.opts.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS,
        onProgress: (sec) => call.onProgress(Math.min(0.99, Math.round((sec / req.durationSec) * 100) / 100)),
      });
      await rename(partPath, this.finalPath(providerJobId));
      this.deps.logger.info({ providerJobId, ms: Date.now() - started }, 'local render finished');
    } finally {
      await rm(textPath, { force: true });
      await rm(partPath, { force: true });
    }
  }

  /**
   * Temp files of a render that died with its process. Only files older than
   * the render timeout go, so a render still running elsewhere is left alone.
   */
  private async removeLeftovers(providerJobId: string): Promise<void> {
    const names = await readdir(this.opts.workDir);
    const cutoff = Date.now() - (this.opts.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS);
    const candidates = names.filter((n) => n.startsWith(`${providerJobId}.`) && /\.(part|txt)$/.test(n));
    for (const name of candidates) {
      const path = join(this.opts.workDir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await rm(path, { force: true });
    }
  }

  private finalPath(providerJobId: string): string {
    return join(this.opts.workDir, `${providerJobId}.mp4`);
  }

  private checkId(providerJobId: string): string {
    if (!providerJobId.startsWith(JOB_PREFIX) || !SAFE_ID.test(providerJobId)) {
      throw new AppError('invalid_request', `Unknown local job id "${providerJobId}".`);
    }
    return providerJobId;
  }
}

export function jobIdFor(videoId: string): string {
  if (!SAFE_ID.test(videoId)) throw new AppError('invalid_request', 'videoId may only hold letters, digits, "_" and "-".');
  return `${JOB_PREFIX}${videoId}`;
}

export function createLocalProvider(opts: LocalProviderOptions, deps: { media: MediaTool; logger: Logger }): LocalProvider {
  return new LocalProvider(opts, deps);
}
