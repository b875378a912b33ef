import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountRepository } from '../auth/account-repository.js';
import { generateApiKey } from '../auth/api-keys.js';
import { issueSessionToken } from '../auth/sessions.js';
import type { Db } from '../db/connect.js';

export interface DemoCredentials {
  businessId: string;
  userId: string;
  apiKey: string;
  sessionToken: string;
}

const SESSION_TTL_SEC = 30 * 24 * 3600;

/**
 * On a fresh database: a demo user, a `pro` business, an API key and a 30-day
 * session, kept in DATA_DIR/demo.json (mode 600) so later starts can show them again.
 */
export async function ensureDemo(input: { db: Db; accounts: AccountRepository; dataDir: string; sessionSecret: string }): Promise<{ demo: DemoCredentials; created: boolean } | null> {
  const file = join(input.dataDir, 'demo.json');
  if (existsSync(file)) {
    const demo = JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
    if (await input.accounts.getBusiness(demo.businessId)) {
      return { demo: { ...demo, sessionToken: issueSessionToken(input.sessionSecret, { userId: demo.userId, businessId: demo.businessId, ttlSec: SESSION_TTL_SEC }) }, created: false };
    }
  }
  const existing = await input.db('businesses').count<{ n: number }[]>({ n: '*' });
  if (Number(existing[0].n) > 0) return null; // an operator's database: never add demo data to it
  const user = await input.accounts.createUser('demo@neariq.local');
  const business = await input.accounts.createBusiness({ name: 'Demo Business', plan: 'pro' });
  const { key, hash, prefix } = generateApiKey();
  await input.accounts.insertApiKey({ businessId: business.id, userId: user.id, keyHash: hash, keyPrefix: prefix, scopes: ['content:read', 'content:write'] });
  const demo: DemoCredentials = {
    businessId: business.id,
    userId: user.id,
    apiKey: key,
    sessionToken: issueSessionToken(input.sessionSecret, { userId: user.id, businessId: business.id, ttlSec: SESSION_TTL_SEC }),
  };
  writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return { demo, created: true };
}

export function demoBanner(url: string, demo: DemoCredentials): string {
  return [
    '',
    'neariq-video is running.',
    `  API:            ${url}/api/v1/video`,
    `  demo business: ${demo.businessId} (plan pro)`,
    `  API key:        ${demo.apiKey}`,
    `  session token:  ${demo.sessionToken}`,
    '',
    'Try it:',
    `  curl -s -X POST ${url}/api/v1/video -H 'Authorization: Bearer ${demo.apiKey}' -H 'Content-Type: application/json' -d '{"prompt":"A sunrise over a quiet harbour, cinematic","duration":5}'`,
    `  curl -s ${url}/api/v1/video -H 'Authorization: Bearer ${demo.apiKey}'`,
    `  curl -s -X POST ${url}/api/businesses/me/video -H 'Authorization: Bearer ${demo.sessionToken}' -H 'Content-Type: application/json' -d '{"prompt":"Fresh bread from our corner bakery every morning","duration":15}'`,
    '',
  ].join('\n');
}
