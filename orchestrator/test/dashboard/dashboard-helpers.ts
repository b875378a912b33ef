import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { issueSessionToken } from '../../src/auth/sessions.js';
import { request, type TestServer } from '../helpers/harness.js';

export const VIDEO = '/api/businesses/me/video';
export const CAPTIONS = '/api/businesses/me/video/captions';
export const FIXTURE_CLIP = join(process.cwd(), 'fixtures', 'media', 'testsrc.mp4');

/** Finishes a processing job as the runner would, with a fixture clip as its output (no render needed). */
export async function completeWithFixture(server: TestServer, videoId: string): Promise<string> {
  const { storage, videos, credits, db } = server.handle.ctx;
  const tmp = storage.tempPath('.mp4');
  copyFileSync(FIXTURE_CLIP, tmp);
  const path = storage.commit(tmp, storage.videoKey(videoId));
  await db.transaction(async (trx) => {
    await videos.finish(videoId, { status: 'completed', outputPath: path, outputMeta: { durationSec: 5 } }, trx);
    await credits.charge('generation', videoId, trx);
  });
  return path;
}

export async function failJob(server: TestServer, videoId: string): Promise<void> {
  const { videos, credits, db } = server.handle.ctx;
  await db.transaction(async (trx) => {
    await videos.finish(videoId, { status: 'failed', error: 'provider said no' }, trx);
    await credits.release('generation', videoId, trx);
  });
}

export async function createVideo(server: TestServer, token: string, body: Record<string, unknown> = {}) {
  return request(server.url + VIDEO, { method: 'POST', token, body: { prompt: 'Fresh sourdough at Bella Bakery', duration: 5, ...body } });
}

/** A completed dashboard video, ready for captions and downloads. */
export async function completedVideo(server: TestServer, token: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await createVideo(server, token, body);
  if (res.status !== 202) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  await completeWithFixture(server, res.body.video.id);
  return res.body.video.id;
}

export function sessionFor(server: TestServer, input: { userId: string; businessId: string | null; ttlSec?: number }): string {
  return issueSessionToken(server.config.secrets.sessionSecret, { ttlSec: 3600, ...input });
}

/** Hostile tokens: expired, wrong secret, alg none, another algorithm, no businessId. */
export function hostileTokens(server: TestServer, userId: string, businessId: string): Record<string, string> {
  const secret = Buffer.from(server.config.secrets.sessionSecret, 'utf8');
  const now = Math.floor(Date.now() / 1000);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return {
    expired: jwt.sign({ businessId, exp: now - 10 }, secret, { algorithm: 'HS256', subject: userId }),
    forged: jwt.sign({ businessId }, 'not-the-secret', { algorithm: 'HS256', subject: userId, expiresIn: 600 }),
    algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: userId, businessId, exp: now + 600 })}.`,
    hs512: jwt.sign({ businessId }, secret, { algorithm: 'HS512', subject: userId, expiresIn: 600 }),
    garbage: 'not.a.jwt',
  };
}
