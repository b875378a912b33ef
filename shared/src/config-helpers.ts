import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Env = Record<string, string | undefined>;

/** Reads a string variable, treating empty as unset. */
export function envString(env: Env, name: string, fallback: string): string;
export function envString(env: Env, name: string): string | undefined;
export function envString(env: Env, name: string, fallback?: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

export function envInt(env: Env, name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
  const raw = envString(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${name} must be a whole number (got "${raw}").`);
  if (range.min !== undefined && n < range.min) throw new Error(`${name} must be at least ${range.min} (got ${n}).`);
  if (range.max !== undefined && n > range.max) throw new Error(`${name} must be at most ${range.max} (got ${n}).`);
  return n;
}

export function envNumber(env: Env, name: string, fallback: number): number {
  const raw = envString(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number (got "${raw}").`);
  return n;
}

export function envBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = envString(env, name);
  if (raw === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error(`${name} must be true or false (got "${raw}").`);
}

export function envList(env: Env, name: string, fallback: string[]): string[] {
  const raw = envString(env, name);
  if (raw === undefined) return fallback;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

export interface Secrets {
  sessionSecret: string;
  compositorSecret: string;
}

/**
 * Generated secrets live in DATA_DIR/secrets.json so a fresh install needs no
 * configuration; explicit environment values win. Both services call this
 * with the same DATA_DIR, so they agree without any setup.
 */
export function loadOrCreateSecrets(dataDir: string, env: Env): Secrets {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  if (!existsSync(file)) {
    const fresh: Secrets = { sessionSecret: randomBytes(32).toString('hex'), compositorSecret: randomBytes(32).toString('hex') };
    try {
      // 'wx' = create exclusively: when two processes start together, the first file wins.
      writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
  if (!stored.sessionSecret || !stored.compositorSecret) {
    throw new Error(`${file} must hold {"sessionSecret", "compositorSecret"}; delete it to generate new secrets.`);
  }
  return overlay(stored as Secrets, env);
}

function overlay(secrets: Secrets, env: Env): Secrets {
  return {
    sessionSecret: envString(env, 'SESSION_SECRET') ?? secrets.sessionSecret,
    compositorSecret: envString(env, 'COMPOSITOR_SECRET') ?? secrets.compositorSecret,
  };
}
