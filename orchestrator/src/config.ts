import { resolve, join } from 'node:path';
import type { ReplicateOptions } from './providers/generation/replicate-provider.js';
import { envBool, envInt, envList, envString, loadOrCreateSecrets, type Env, type Secrets } from '../../shared/src/config-helpers.js';

export type VideoProviderKind = 'local' | 'replicate' | 'none';

/** Everything the orchestrator reads from the environment, read once here. */
export interface OrchestratorConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databaseSchema?: string;
  publicUrl: string;
  compositorUrls: string[];
  secrets: Secrets;
  logLevel: string;
  bodyLimitBytes: number;
  ffmpegPath?: string;
  ffprobePath?: string;
  fontPath: string;
  videoProvider: VideoProviderKind;
  localProvider: { size: 'full' | 'preview'; maxParallel: number };
  replicate: ReplicateOptions;
  premiumTts: { url?: string; apiKey?: string; timeoutMs: number };
  jobs: { pollIntervalMs: number; timeoutMs: number; leaseMs: number; enabled: boolean };
  composite: { waitMs: number; timeoutMs: number; sourceUrlTtlSec: number };
  demo: boolean;

  // --- webhooks and observability (owner: platform) ---
  webhooks: {
    /** Hosts a webhook URL may point at; empty = any public host. `*.example.com` matches subdomains. */
    allowedHosts: string[];
    /** Allow loopback, private and link-local targets (tests, LAN receivers). */
    allowPrivate: boolean;
    timeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
    pollIntervalMs: number;
    enabled: boolean;
  };
  observability: {
    /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
    metricsToken?: string;
    readyTimeoutMs: number;
  };
}

export function loadConfig(env: Env = process.env): OrchestratorConfig {
  const port = envInt(env, 'PORT', 3000, { min: 0, max: 65535 });
  const compositorPort = envInt(env, 'COMPOSITOR_PORT', 3001, { min: 0, max: 65535 });
  const dataDir = resolve(envString(env, 'DATA_DIR', './data'));
  const provider = envString(env, 'VIDEO_PROVIDER', 'local');
  if (!['local', 'replicate', 'none'].includes(provider)) {
    throw new Error(`VIDEO_PROVIDER must be local, replicate or none (got "${provider}").`);
  }
  const databaseUrl = envString(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must be a postgres:// URL; leave it unset for the embedded SQLite database.');
  }
  const localSize = envString(env, 'LOCAL_PROVIDER_SIZE', 'full');
  if (localSize !== 'full' && localSize !== 'preview') throw new Error(`LOCAL_PROVIDER_SIZE must be full or preview (got "${localSize}").`);
  return {
    port,
    host: envString(env, 'HOST', '0.0.0.0'),
    dataDir,
    databaseUrl,
    databaseSchema: envString(env, 'DATABASE_SCHEMA'),
    publicUrl: stripSlash(envString(env, 'PUBLIC_URL', `http://localhost:${port}`)),
    compositorUrls: envList(env, 'COMPOSITOR_URL', [`http://localhost:${compositorPort}`]).map(stripSlash),
    secrets: loadOrCreateSecrets(dataDir, env),
    logLevel: envString(env, 'LOG_LEVEL', 'info'),
    bodyLimitBytes: envInt(env, 'BODY_LIMIT_BYTES', 64 * 1024, { min: 1024 }),
    ffmpegPath: envString(env, 'FFMPEG_PATH'),
    ffprobePath: envString(env, 'FFPROBE_PATH'),
    fontPath: resolve(envString(env, 'FONT_PATH', join('fixtures', 'fonts', 'DejaVuSans.ttf'))),
    videoProvider: provider as VideoProviderKind,
    localProvider: { size: localSize, maxParallel: envInt(env, 'LOCAL_PROVIDER_PARALLEL', 1, { min: 1, max: 16 }) },
    replicate: {
      apiToken: envString(env, 'REPLICATE_API_TOKEN'),
      baseUrl: stripSlash(envString(env, 'REPLICATE_BASE_URL', 'https://api.replicate.com/v1')),
      model: envString(env, 'REPLICATE_MODEL'),
      inputFields: {
        prompt: envString(env, 'REPLICATE_INPUT_PROMPT', 'prompt'),
        duration: envString(env, 'REPLICATE_INPUT_DURATION', 'duration'),
        aspectRatio: envString(env, 'REPLICATE_INPUT_ASPECT_RATIO', 'aspect_ratio'),
      },
      maxDownloadBytes: envInt(env, 'PROVIDER_MAX_DOWNLOAD_BYTES', 500 * 1024 * 1024, { min: 1024 }),
      downloadTimeoutMs: envInt(env, 'PROVIDER_DOWNLOAD_TIMEOUT_MS', 120_000, { min: 1000 }),
    },
    premiumTts: {
      url: envString(env, 'PREMIUM_TTS_URL'),
      apiKey: envString(env, 'PREMIUM_TTS_API_KEY'),
      timeoutMs: envInt(env, 'PREMIUM_TTS_TIMEOUT_MS', 5000, { min: 100 }),
    },
    jobs: {
      pollIntervalMs: envInt(env, 'JOB_POLL_INTERVAL_MS', 1000, { min: 10 }),
      timeoutMs: envInt(env, 'JOB_TIMEOUT_MS', 15 * 60_000, { min: 1000 }),
      leaseMs: envInt(env, 'JOB_LEASE_MS', 60_000, { min: 1000 }),
      enabled: envBool(env, 'JOB_RUNNER', true),
    },
    composite: {
      waitMs: envInt(env, 'COMPOSITE_WAIT_MS', 8000, { min: 0 }),
      timeoutMs: envInt(env, 'COMPOSITE_TIMEOUT_MS', 10 * 60_000, { min: 1000 }),
      sourceUrlTtlSec: envInt(env, 'SOURCE_URL_TTL_SEC', 15 * 60, { min: 10 }),
    },
    demo: envBool(env, 'DEMO_SEED', true),

    // --- webhooks and observability (owner: platform) ---
    webhooks: {
      allowedHosts: envList(env, 'WEBHOOK_ALLOWED_HOSTS', []).map((h) => h.toLowerCase()),
      allowPrivate: envBool(env, 'WEBHOOK_ALLOW_PRIVATE', false),
      timeoutMs: envInt(env, 'WEBHOOK_TIMEOUT_MS', 10_000, { min: 100 }),
      maxAttempts: envInt(env, 'WEBHOOK_MAX_ATTEMPTS', 8, { min: 1, max: 50 }),
      retryBaseMs: envInt(env, 'WEBHOOK_RETRY_BASE_MS', 10_000, { min: 10 }),
      retryMaxMs: envInt(env, 'WEBHOOK_RETRY_MAX_MS', 3_600_000, { min: 10 }),
      pollIntervalMs: envInt(env, 'WEBHOOK_POLL_INTERVAL_MS', 1000, { min: 10 }),
      enabled: envBool(env, 'WEBHOOK_DELIVERY', true),
    },
    observability: {
      metricsToken: envString(env, 'METRICS_TOKEN'),
      readyTimeoutMs: envInt(env, 'READY_TIMEOUT_MS', 2000, { min: 100 }),
    },
  };
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
