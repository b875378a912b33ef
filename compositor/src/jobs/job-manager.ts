import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import PQueue from 'p-queue';
import type { ComposeJobView, ComposeSpec } from '../../../shared/src/compose-spec.js';
import { AppError } from '../../../shared/src/errors.js';
import type { Logger } from '../../../shared/src/logger.js';
import { renderComposite, type RenderDeps, type RenderOutcome } from '../render/render-composite.js';
import { TERMINAL, toView, type JobRecord, type JobStore } from './job-store.js';

const SHUTDOWN = 'compositor shutting down';
const CANCELED = 'canceled by request';

export interface JobManagerOptions {
  store: JobStore;
  renderDeps: RenderDeps;
  concurrency: number;
  workRoot: string;
  retentionMs: number;
  logger: Logger;
  /** Told of every finished job (metrics): its status and seconds of work, when it ran. */
  onFinished?: (status: string, seconds: number | undefined) => void;
  /** Swappable for tests; defaults to the real renderer. */
  render?: typeof renderComposite;
}

/** Queue, bounded concurrency, cancel, restart recovery and retention of jobs. */
export class JobManager {
  private readonly queue: PQueue;
  private readonly running = new Map<string, AbortController>();
  private readonly finished = new Map<string, Promise<void>>();
  private readonly startedAt = new Map<string, number>();
  /** Jobs already handed to the queue, so start() never enqueues one twice. */
  private readonly started = new Set<string>();
  private sweepTimer?: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly options: JobManagerOptions) {
    this.queue = new PQueue({ concurrency: options.concurrency });
  }

  /** Loads persisted jobs before the server accepts requests: interrupted renders fail with a reason. */
  async recover(): Promise<void> {
    for (const job of await this.options.store.load()) {
      if (job.status === 'processing') {
        await this.finish(job, { status: 'failed', code: 'interrupted', message: 'The compositor restarted while this job was rendering; submit it again.' });
      }
    }
  }

  /** Once listening (output URLs need the real port): jobs left queued run again, retention sweeps start. */
  async start(): Promise<void> {
    for (const job of this.options.store.all().sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
      if (job.status === 'queued' && !this.started.has(job.jobId)) this.enqueue(job.jobId);
    }
    await this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), Math.min(this.options.retentionMs, 10 * 60_000));
    this.sweepTimer.unref();
  }

  async submit(spec: ComposeSpec): Promise<JobRecord> {
    if (this.closing) throw new AppError('unavailable', 'The compositor is shutting down; retry on another worker.');
    const now = new Date().toISOString();
    const job: JobRecord = { jobId: `cmp_${randomBytes(16).toString('hex')}`, status: 'queued', progress: 0, spec, createdAt: now, updatedAt: now };
    await this.options.store.save(job);
    this.enqueue(job.jobId);
    return job;
  }

  view(jobId: string): ComposeJobView {
    const job = this.options.store.get(jobId);
    if (!job) throw new AppError('not_found', 'No compose job with this id; it may have expired.');
    return toView(job);
  }

  async cancel(jobId: string): Promise<ComposeJobView> {
    const job = this.options.store.get(jobId);
    if (!job) throw new AppError('not_found', 'No compose job with this id; it may have expired.');
    if (TERMINAL.has(job.status)) throw new AppError('conflict', `The job is already ${job.status}; only queued or processing jobs can be canceled.`);
    const controller = this.running.get(jobId);
    if (controller) {
      controller.abort(new Error(CANCELED));
      await this.finished.get(jobId);
    } else {
      await this.finish(job, { status: 'canceled' });
    }
    return toView(job);
  }

  /** Stops taking work; in-flight renders are stopped and marked failed, queued jobs stay queued for the next start. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.queue.pause();
    this.queue.clear();
    for (const controller of this.running.values()) controller.abort(new Error(SHUTDOWN));
    await Promise.allSettled([...this.finished.values()]);
  }

  stats(): { queued: number; running: number } {
    return { queued: this.queue.size, running: this.running.size };
  }

  private enqueue(jobId: string): void {
    this.started.add(jobId);
    void this.queue.add(() => this.run(jobId).finally(() => this.started.delete(jobId))).catch((err) => this.options.logger.error({ err, jobId }, 'job runner crashed'));
  }

  private async run(jobId: string): Promise<void> {
    const job = this.options.store.get(jobId);
    if (!job || job.status !== 'queued' || this.closing) return;
    const controller = new AbortController();
    this.running.set(jobId, controller);
    this.startedAt.set(jobId, Date.now());
    let release!: () => void;
    this.finished.set(jobId, new Promise<void>((r) => (release = r)));
    try {
      job.status = 'processing';
      await this.options.store.save(job);
      const render = this.options.render ?? renderComposite;
      const outcome = await render({
        spec: job.spec,
        workDir: join(this.options.workRoot, jobId),
        deps: this.options.renderDeps,
        signal: controller.signal,
        onProgress: (p) => this.options.store.setProgress(jobId, p),
      });
      const reason = controller.signal.reason instanceof Error ? controller.signal.reason.message : undefined;
      if (outcome.status === 'canceled' && reason === SHUTDOWN) {
        await this.finish(job, { status: 'failed', code: 'interrupted', message: 'The compositor shut down while this job was rendering; submit it again.' });
      } else {
        await this.finish(job, outcome);
      }
    } finally {
      this.running.delete(jobId);
      this.finished.delete(jobId);
      this.startedAt.delete(jobId);
      release();
    }
  }

  private async finish(job: JobRecord, outcome: RenderOutcome): Promise<void> {
    job.status = outcome.status;
    job.finishedAt = new Date().toISOString();
    if (outcome.status === 'completed') {
      job.progress = 1;
      job.output = outcome.output;
      job.compositeName = outcome.name;
    } else if (outcome.status === 'failed') {
      job.error = { code: outcome.code, message: outcome.message };
    } else {
      job.error = { code: 'canceled', message: 'The job was canceled.' };
    }
    await this.options.store.save(job);
    const began = this.startedAt.get(job.jobId);
    this.options.onFinished?.(job.status, began === undefined ? undefined : (Date.now() - began) / 1000);
    this.options.logger.info({ jobId: job.jobId, status: job.status, error: job.error }, 'compose job finished');
  }

  /** Removes composites and job records past the retention. */
  private async sweep(): Promise<void> {
    const { store, retentionMs, renderDeps } = this.options;
    try {
      await renderDeps.store.sweep(retentionMs);
      const cutoff = Date.now() - retentionMs;
      for (const job of store.all()) {
        if (job.finishedAt && Date.parse(job.finishedAt) < cutoff) await store.delete(job.jobId);
      }
    } catch (err) {
      this.options.logger.warn({ err }, 'retention sweep failed');
    }
  }
}
