import type { Logger } from '../../../shared/src/logger.js';
import type { CreditLedger } from '../credits/credit-ledger.js';
import type { Db } from '../db/connect.js';
import type { MediaTool } from '../media/media-tool.js';
import type { GenerationProvider, GenerationRequest } from '../providers/generation/types.js';
import type { LocalStorage } from '../storage/local-storage.js';
import type { VideoRecord, VideoRepository } from './video-repository.js';
import { recordProviderError } from '../observability/metrics.js';
import { renewLease } from '../db/lease.js';
import { PollingLoop } from '../jobs/polling-loop.js';
import type { DomainEvent, EventBus } from '../events/event-bus.js';
import { videoView } from './video-views.js';

export interface RunnerOptions {
  pollIntervalMs: number;
  timeoutMs: number;
  leaseMs: number;
  maxAttempts?: number;
  batchSize?: number;
}

export type Outcome = { status: 'completed'; path: string; meta: Record<string, unknown> } | { status: 'failed'; reason: string } | { status: 'processing' };

/**
 * Drives generation jobs: submit → poll → download into storage → probe →
 * completed (credits charged) or failed (credits released). State lives in
 * the database behind a lease, so jobs resume after a restart and two
 * replicas never work the same job at the same time.
 */
export class GenerationRunner extends PollingLoop {
  constructor(
    private readonly deps: {
      db: Db;
      videos: VideoRepository;
      credits: CreditLedger;
      provider: GenerationProvider | null;
      media: MediaTool;
      storage: LocalStorage;
      logger: Logger;
      events?: EventBus;
    },
    private readonly options: RunnerOptions,
  ) {
    super({ name: 'generation', intervalMs: options.pollIntervalMs, logger: deps.logger });
  }

  /** One pass over due jobs; exposed for tests. */
  override async tick(): Promise<void> {
    const jobs = await this.deps.videos.claimDue({ owner: this.owner, leaseMs: this.options.leaseMs, limit: this.options.batchSize ?? 8 });
    await Promise.all(jobs.map((job) => this.advance(job)));
  }

  private async advance(job: VideoRecord): Promise<void> {
    const heartbeat = setInterval(() => {
      renewLease({ db: this.deps.db, table: 'video_generations', id: job.id, owner: this.owner, leaseMs: this.options.leaseMs }).catch(() => undefined);
    }, Math.max(250, Math.floor(this.options.leaseMs / 3)));
    try {
      const outcome = await this.step(job);
      if (outcome.status === 'processing') await this.deps.videos.releaseLease(job.id, this.owner);
      else await this.finish(job, outcome);
    } catch (err) {
      const reason = (err as Error).message || 'generation failed';
      this.deps.logger.warn({ err, videoId: job.id }, 'generation step failed');
      recordProviderError(this, { provider: this.deps.provider?.name ?? 'none', stage: 'step' });
      await this.deps.videos.bumpAttempts(job.id);
      if (job.attempts + 1 >= (this.options.maxAttempts ?? 5)) await this.finish(job, { status: 'failed', reason });
      else await this.deps.videos.releaseLease(job.id, this.owner);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async step(job: VideoRecord): Promise<Outcome> {
    const { provider } = this.deps;
    if (!provider) return { status: 'failed', reason: 'Video generation is not configured on this server.' };
    const request: GenerationRequest = { videoId: job.id, prompt: job.prompt, durationSec: job.duration, aspectRatio: job.aspectRatio };
    const signal = this.abort.signal;
    if (Date.now() - Date.parse(job.createdAt) > this.options.timeoutMs) {
      if (job.providerJobId) await provider.cancel?.(job.providerJobId).catch(() => undefined);
      return { status: 'failed', reason: `Generation timed out after ${Math.round(this.options.timeoutMs / 1000)} s.` };
    }
    let providerJobId = job.providerJobId;
    if (!providerJobId) {
      providerJobId = (await provider.submit(request, signal)).providerJobId;
      await this.deps.videos.setProviderJob(job.id, providerJobId);
    }
    const status = await provider.poll(providerJobId, request, signal);
    if (status.state === 'processing') return { status: 'processing' };
    if (status.state === 'failed') return { status: 'failed', reason: status.reason };
    return this.collect(job, providerJobId, signal);
  }

  /** Downloads the finished clip, probes it, and keeps it only if it is a real video. */
  private async collect(job: VideoRecord, providerJobId: string, signal: AbortSignal): Promise<Outcome> {
    const tmp = this.deps.storage.tempPath('.mp4');
    try {
      await this.deps.provider!.fetchOutput(providerJobId, tmp, signal);
      const probe = await this.deps.media.probe(tmp, signal);
      if (!probe.hasVideo || !(probe.durationSec > 0)) {
        return { status: 'failed', reason: 'The provider returned a file without a playable video stream.' };
      }
      const path = this.deps.storage.commit(tmp, this.deps.storage.videoKey(job.id));
      return { status: 'completed', path, meta: { ...probe } };
    } finally {
      this.deps.storage.discard(tmp);
    }
  }

  private async finish(job: VideoRecord, outcome: Exclude<Outcome, { status: 'processing' }>): Promise<void> {
    const { videos, credits, events } = this.deps;
    const event = await this.deps.db.transaction(async (trx) => {
      const ok =
        outcome.status === 'completed'
          ? await videos.finish(job.id, { status: 'completed', outputPath: outcome.path, outputMeta: outcome.meta }, trx)
          : await videos.finish(job.id, { status: 'failed', error: outcome.reason }, trx);
      if (!ok) return null;
      if (outcome.status === 'completed') await credits.charge('generation', job.id, trx);
      else await credits.release('generation', job.id, trx);
      const video = (await videos.get(job.id, trx))!;
      const finished: DomainEvent = { type: outcome.status === 'completed' ? 'video.completed' : 'video.failed', businessId: video.businessId, data: videoView(video) };
      await events?.record(trx, finished);
      return finished;
    });
    if (!event) return;
    this.deps.logger.info({ videoId: job.id, status: outcome.status }, 'generation finished');
    events?.emit(event);
  }
}
