import { cpus } from 'node:os';
import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envInt, envList, envString, loadOrCreateSecrets, type Env } from '../../shared/src/config-helpers.js';

export interface CompositorConfig {
  port: number;
  host: string;
  /** Base of output URLs; undefined = `http://localhost:<actual port>` once listening. */
  publicUrl?: string;
  dataDir: string;
  compositesDir: string;
  stateDir: string;
  secret: string;
  allowedOrigins: string[];
  concurrency: number;
  retentionHours: number;
  sourceMaxBytes: number;
  sourceTimeoutMs: number;
  /** Hard limit for one ffmpeg render; a stuck render fails instead of hanging forever. */
  renderTimeoutMs: number;
  ffmpegPath?: string;
  ffprobePath?: string;
  fontsDir: string;
  logLevel: string;
}

const repoRoot = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** Reads the environment once; everything downstream receives this object. */
export function loadCompositorConfig(env: Env = process.env): CompositorConfig {
  const port = envInt(env, 'COMPOSITOR_PORT', 3001, { min: 0, max: 65535 });
  const dataDir = resolve(envString(env, 'DATA_DIR', './data'));
  const orchestratorPort = envInt(env, 'PORT', 3000, { min: 0, max: 65535 });
  const orchestratorUrl = envString(env, 'PUBLIC_URL');
  const defaultOrigins = orchestratorUrl
    ? [new URL(orchestratorUrl).origin]
    : [`http://localhost:${orchestratorPort}`, `http://127.0.0.1:${orchestratorPort}`];
  const allowedOrigins = envList(env, 'COMPOSITOR_ALLOWED_ORIGINS', defaultOrigins).map((o) => {
    if (!URL.canParse(o) || !/^https?:$/.test(new URL(o).protocol)) {
      throw new Error(`COMPOSITOR_ALLOWED_ORIGINS entries must be http(s) origins (got "${o}").`);
    }
    return new URL(o).origin;
  });
  const publicUrl = envString(env, 'COMPOSITOR_PUBLIC_URL');
  if (publicUrl !== undefined && !URL.canParse(publicUrl)) throw new Error(`COMPOSITOR_PUBLIC_URL must be a URL (got "${publicUrl}").`);
  const secret = envString(env, 'COMPOSITOR_SECRET') ?? loadOrCreateSecrets(dataDir, env).compositorSecret;
  return {
    port,
    host: envString(env, 'COMPOSITOR_HOST', '0.0.0.0'),
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    dataDir,
    compositesDir: join(dataDir, 'composites'),
    // Each worker needs its own job state; outputs (composites) may live on a shared volume.
    stateDir: resolve(envString(env, 'COMPOSITOR_STATE_DIR', join(dataDir, 'compositor'))),
    secret,
    allowedOrigins,
    concurrency: envInt(env, 'COMPOSITOR_CONCURRENCY', Math.max(1, Math.floor(cpus().length / 2)), { min: 1, max: 64 }),
    retentionHours: envInt(env, 'COMPOSITE_RETENTION_HOURS', 24, { min: 1 }),
    sourceMaxBytes: envInt(env, 'SOURCE_MAX_BYTES', 500 * 1024 * 1024, { min: 1024 }),
    sourceTimeoutMs: envInt(env, 'SOURCE_TIMEOUT_MS', 60_000, { min: 100 }),
    renderTimeoutMs: envInt(env, 'RENDER_TIMEOUT_MS', 15 * 60_000, { min: 1000 }),
    ffmpegPath: envString(env, 'FFMPEG_PATH'),
    ffprobePath: envString(env, 'FFPROBE_PATH'),
    fontsDir: resolve(envString(env, 'COMPOSITOR_FONTS_DIR', join(repoRoot, 'fixtures', 'fonts'))),
    logLevel: envString(env, 'LOG_LEVEL', 'info'),
  };
}
