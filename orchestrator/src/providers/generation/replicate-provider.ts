import Replicate from 'replicate';
import { AppError } from '../../../../shared/src/errors.js';
import type { Logger } from '../../../../shared/src/logger.js';
import { downloadToFile } from './download-to-file.js';
import { parseModelRef, type ModelRef } from './model-ref.js';
import type { GenerationProvider, GenerationRequest, GenerationStatus } from './types.js';

export interface ReplicateOptions {
  apiToken?: string;
  /** API root including /v1, as the official client's baseUrl. */
  baseUrl: string;
  /** "owner/name", "owner/name:version" or a version id. */
  model?: string;
  /** The model's input names for our three fields (models differ). */
  inputFields: { prompt: string; duration: string; aspectRatio: string };
  maxDownloadBytes: number;
  downloadTimeoutMs: number;
}

export const DEFAULT_REPLICATE_OPTIONS: ReplicateOptions = {
  baseUrl: 'https://api.replicate.com/v1',
  inputFields: { prompt: 'prompt', duration: 'duration', aspectRatio: 'aspect_ratio' },
  maxDownloadBytes: 500 * 1024 * 1024,
  downloadTimeoutMs: 120_000,
};

interface Prediction {
  id: string;
  status: string;
  output?: unknown;
  error?: unknown;
}

/** Generation through Replicate's predictions API, via the official client. */
export class ReplicateProvider implements GenerationProvider {
  readonly name = 'replicate';
  private readonly client: Replicate;
  private readonly modelRef: ModelRef;

  constructor(
    private readonly opts: ReplicateOptions,
    private readonly deps: { logger: Logger },
  ) {
    if (!opts.apiToken || !opts.model) {
      throw new AppError('not_configured', 'Replicate is not configured: set REPLICATE_API_TOKEN and REPLICATE_MODEL (or choose VIDEO_PROVIDER=local).');
    }
    try {
      this.modelRef = parseModelRef(opts.model);
    } catch (err) {
      throw new AppError('not_configured', (err as Error).message);
    }
    this.client = new Replicate({ auth: opts.apiToken, baseUrl: opts.baseUrl });
  }

  async submit(req: GenerationRequest, signal?: AbortSignal): Promise<{ providerJobId: string }> {
    const f = this.opts.inputFields;
    const input = { [f.prompt]: req.prompt, [f.duration]: req.durationSec, [f.aspectRatio]: req.aspectRatio };
    try {
      const prediction = (await this.client.predictions.create({ ...this.modelRef, input, signal })) as Prediction;
      this.deps.logger.info({ videoId: req.videoId, predictionId: prediction.id }, 'replicate prediction created');
      return { providerJobId: prediction.id };
    } catch (err) {
      throw upstream('creating a prediction', err, signal);
    }
  }

  async poll(providerJobId: string, _req: GenerationRequest, signal?: AbortSignal): Promise<GenerationStatus> {
    let prediction: Prediction;
    try {
      prediction = await this.get(providerJobId, signal);
    } catch (err) {
      // 4xx other than 429 will not get better by asking again; everything else may.
      const status = httpStatus(err);
      if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
        return { state: 'failed', reason: `Replicate answered HTTP ${status} for prediction ${providerJobId}.` };
      }
      throw upstream('polling a prediction', err, signal);
    }
    return mapStatus(prediction);
  }

  async fetchOutput(providerJobId: string, destPath: string, signal?: AbortSignal): Promise<void> {
    let prediction: Prediction;
    try {
      prediction = await this.get(providerJobId, signal);
    } catch (err) {
      throw upstream('reading a prediction', err, signal);
    }
    const url = outputUrl(prediction.output);
    if (prediction.status !== 'succeeded' || !url) {
      throw new AppError('bad_gateway', `Replicate prediction ${providerJobId} has no output to download (status ${prediction.status}).`);
    }
    const { bytes } = await downloadToFile(url, destPath, {
      maxBytes: this.opts.maxDownloadBytes,
      timeoutMs: this.opts.downloadTimeoutMs,
      signal,
    });
    this.deps.logger.info({ predictionId: providerJobId, bytes }, 'replicate output downloaded');
  }

  async cancel(providerJobId: string): Promise<void> {
    try {
      await this.client.predictions.cancel(providerJobId);
    } catch (err) {
      throw upstream('cancelling a prediction', err);
    }
  }

  private async get(id: string, signal?: AbortSignal): Promise<Prediction> {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new AppError('invalid_request', `Invalid Replicate prediction id "${id}".`);
    return (await this.client.predictions.get(id, { signal })) as Prediction;
  }
}

/** Pure: a Replicate prediction → our status. */
export function mapStatus(prediction: Prediction): GenerationStatus {
  switch (prediction.status) {
    case 'starting':
    case 'processing':
      return { state: 'processing' };
    case 'succeeded':
      return outputUrl(prediction.output)
        ? { state: 'succeeded' }
        : { state: 'failed', reason: 'Replicate reported success but returned no output URL.' };
    case 'failed':
      return { state: 'failed', reason: `Replicate prediction failed: ${errorText(prediction.error) ?? 'no error given'}` };
    case 'canceled':
    case 'aborted':
      return { state: 'failed', reason: `Replicate prediction was ${prediction.status}${errorText(prediction.error) ? `: ${errorText(prediction.error)}` : ''}.` };
    default:
      return { state: 'failed', reason: `Replicate returned an unknown status "${String(prediction.status)}".` };
  }
}

/** Output is a URL string or an array of them; take the first. */
export function outputUrl(output: unknown): string | undefined {
  const first = Array.isArray(output) ? output[0] : output;
  return typeof first === 'string' && /^https?:\/\//.test(first) ? first : undefined;
}

function errorText(error: unknown): string | undefined {
  if (error === null || error === undefined || error === '') return undefined;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

function httpStatus(err: unknown): number | undefined {
  const status = (err as { response?: { status?: unknown } } | undefined)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function upstream(action: string, err: unknown, signal?: AbortSignal): Error {
  if (signal?.aborted) return err as Error;
  if (err instanceof AppError) return err;
  const status = httpStatus(err);
  const detail = status !== undefined ? `HTTP ${status}` : (err as Error)?.message ?? String(err);
  return new AppError('bad_gateway', `Replicate failed while ${action}: ${detail}.`);
}

export function createReplicateProvider(opts: ReplicateOptions, deps: { logger: Logger }): ReplicateProvider {
  return new ReplicateProvider(opts, deps);
}
