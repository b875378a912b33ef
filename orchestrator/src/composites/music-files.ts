import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';
import { AppError } from '../../../shared/src/errors.js';
import { sendFile } from '../http/send-file.js';
import { MUSIC_PREFIX, type SourceUrls } from '../sources/index.js';
import { MUSIC_MOODS } from './composite-schemas.js';

/** Music beds the compositor fetches, behind the same short-lived signed URLs as the sources. */
export const DEFAULT_MUSIC_DIR = fileURLToPath(new URL('../../../fixtures/music/', import.meta.url));

export function registerMusicRoute(router: Router, deps: { urls: SourceUrls; musicDir?: string }): void {
  router.get(`${MUSIC_PREFIX}/:mood`, async (ctx) => {
    deps.urls.verify(ctx.path, ctx.query);
    const mood = String(ctx.params.mood);
    if (!(MUSIC_MOODS as readonly string[]).includes(mood)) throw new AppError('not_found', `No music bed "${mood}"; use one of ${MUSIC_MOODS.join(', ')}.`);
    await sendFile(ctx, { path: join(deps.musicDir ?? DEFAULT_MUSIC_DIR, `${mood}.m4a`), contentType: 'audio/mp4', cacheControl: 'private, max-age=60' });
  });
}
