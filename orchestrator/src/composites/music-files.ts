import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';
import { AppError } from '../../../shared/src/errors.js';
import { signPath, verifySignedPath } from '../../../shared/src/signing.js';
import { MUSIC_MOODS, type MusicMood } from './composite-schemas.js';

/**
 * Music beds the compositor fetches, behind short-lived signed URLs signed
 * like the source URLs (HMAC with COMPOSITOR_SECRET, path + expiry).
 */
export const MUSIC_PREFIX = '/internal/music';
export const DEFAULT_MUSIC_DIR = fileURLToPath(new URL('../../../fixtures/music/', import.meta.url));

export interface SignedUrlOptions {
  publicUrl: string;
  secret: string;
  ttlSec: number;
}

export function musicUrl(opts: SignedUrlOptions, mood: MusicMood, nowSec = Math.floor(Date.now() / 1000)): string {
  return opts.publicUrl + signPath(opts.secret, `${MUSIC_PREFIX}/${mood}`, nowSec + opts.ttlSec);
}

export function registerMusicRoute(router: Router, deps: { secret: string; musicDir?: string }): void {
  router.get(`${MUSIC_PREFIX}/:mood`, async (ctx) => {
    const check = verifySignedPath({ secret: deps.secret, path: ctx.path, exp: ctx.query.exp, sig: ctx.query.sig });
    if (!check.ok) throw new AppError('invalid_signature', check.reason);
    const mood = String(ctx.params.mood);
    if (!(MUSIC_MOODS as readonly string[]).includes(mood)) throw new AppError('not_found', `No music bed "${mood}"; use one of ${MUSIC_MOODS.join(', ')}.`);
    const file = join(deps.musicDir ?? DEFAULT_MUSIC_DIR, `${mood}.m4a`);
    const info = await stat(file).catch(() => null);
    if (!info) throw new AppError('not_found', `The music bed "${mood}" is not installed on this server.`);
    ctx.set('Cache-Control', 'private, max-age=60');
    ctx.type = 'audio/mp4';
    ctx.length = info.size;
    ctx.body = createReadStream(file);
  });
}
