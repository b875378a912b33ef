import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { loadConfig, type OrchestratorConfig } from '../../src/config.js';
import { startOrchestrator, type OrchestratorHandle } from '../../src/orchestrator.js';
import { generateApiKey } from '../../src/auth/api-keys.js';
import { issueSessionToken } from '../../src/auth/sessions.js';
import { createLogger } from '../../../shared/src/logger.js';
import type { GenerationProvider } from '../../src/providers/generation/types.js';
import '../../src/routes.js';
import { responseValidator, type Violation } from '../../src/docs/response-validator.js';

/**
 * Test databases: SQLite in a fresh DATA_DIR by default; with
 * TEST_DATABASE_URL=postgres://… every harness gets its own fresh schema
 * on that server, dropped again on close.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const dbKind = TEST_DATABASE_URL ? 'postgres' : 'sqlite';

export function freshDbEnv(dataDir: string): Record<string, string> {
  if (!TEST_DATABASE_URL) return { DATA_DIR: dataDir };
  return { DATA_DIR: dataDir, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: `t_${randomBytes(6).toString('hex')}` };
}

export async function dropSchema(schema: string | undefined): Promise<void> {
  if (!TEST_DATABASE_URL || !schema) return;
  const db = knexFactory({ client: 'pg', connection: TEST_DATABASE_URL });
  try {
    await db.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await db.destroy();
  }
}

export interface TestServer {
  url: string;
  handle: OrchestratorHandle;
  config: OrchestratorConfig;
  dataDir: string;
  env: Record<string, string>;
  /** Responses that did not match the OpenAPI document (close() fails when any). */
  violations: Violation[];
  close(): Promise<void>;
}

/** A real orchestrator on a free port with its own data dir (and schema). */
export async function startTestOrchestrator(
  env: Record<string, string> = {},
  options: { provider?: GenerationProvider | null; dataDir?: string; shareDbEnv?: Record<string, string> } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'nq-orch-'));
  const dbEnv = options.shareDbEnv ?? freshDbEnv(dataDir);
  const fullEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://127.0.0.1:0',
    LOCAL_PROVIDER_SIZE: 'preview',
    JOB_POLL_INTERVAL_MS: '100',
    DEMO_SEED: 'false',
    ...dbEnv,
    ...env,
  };
  const config = loadConfig(fullEnv);
  const logger = createLogger('orchestrator-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const violations: Violation[] = [];
  const handle = await startOrchestrator(config, { logger, provider: options.provider, middleware: [responseValidator(violations)] });
  return {
    url: `http://127.0.0.1:${handle.port}`,
    handle,
    config,
    dataDir,
    env: fullEnv,
    violations,
    close: async () => {
      await handle.close();
      if (!options.shareDbEnv) {
        await dropSchema(dbEnv.DATABASE_SCHEMA);
        if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      }
      if (violations.length) {
        throw new Error(`responses that do not match the OpenAPI document:\n${violations.map((v) => `${v.method} ${v.route} ${v.status}: ${v.problem}`).join('\n')}`);
      }
    },
  };
}

export interface Tenant {
  businessId: string;
  userId: string;
  writeKey: string;
  readKey: string;
  writeKeyId: string;
  sessionToken: string;
}

/** A business with a user, a read+write key, a read-only key and a session token. */
export async function seedTenant(server: TestServer, input: { plan?: string; teamId?: string | null; name?: string } = {}): Promise<Tenant> {
  const { accounts } = server.handle.ctx;
  const user = await accounts.createUser(`u-${randomBytes(5).toString('hex')}@example.test`);
  const business = await accounts.createBusiness({ name: input.name ?? 'Test Co', plan: input.plan ?? 'starter', teamId: input.teamId ?? null });
  const mk = async (scopes: string[]) => {
    const k = generateApiKey();
    const id = await accounts.insertApiKey({ businessId: business.id, userId: user.id, keyHash: k.hash, keyPrefix: k.prefix, scopes });
    return { key: k.key, id };
  };
  const write = await mk(['content:read', 'content:write']);
  const read = await mk(['content:read']);
  const sessionToken = issueSessionToken(server.config.secrets.sessionSecret, { userId: user.id, businessId: business.id, ttlSec: 3600 });
  return { businessId: business.id, userId: user.id, writeKey: write.key, writeKeyId: write.id, readKey: read.key, sessionToken };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** JSON request helper; `raw` sends a body string as-is (for malformed JSON tests). */
export async function request<T = any>(
  url: string,
  input: { method?: string; token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(input.headers ?? {}) };
  if (input.token) headers.authorization = `Bearer ${input.token}`;
  let body: string | undefined;
  if (input.raw !== undefined) body = input.raw;
  else if (input.body !== undefined) {
    body = JSON.stringify(input.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method: input.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Polls until `check` returns a value or the time runs out. */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
