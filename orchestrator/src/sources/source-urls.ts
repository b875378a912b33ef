import { signPath, verifySignedPath } from '../../../shared/src/signing.js';
import { AppError } from '../../../shared/src/errors.js';

/**
 * Short-lived signed URLs through which the compositor fetches what it
 * renders: generated clips and narration audio. HMAC with COMPOSITOR_SECRET.
 */
export const SOURCE_PREFIX = '/internal/sources';
export const NARRATION_PREFIX = '/internal/narration';
export const MUSIC_PREFIX = '/internal/music';

export class SourceUrls {
  constructor(
    /** `publicUrl` may be a getter: a server started on port 0 learns its real URL only once listening. */
    private readonly opts: { publicUrl: string | (() => string); secret: string; ttlSec: number },
  ) {}

  private sign(path: string, nowSec: number): string {
    const base = typeof this.opts.publicUrl === 'function' ? this.opts.publicUrl() : this.opts.publicUrl;
    return base + signPath(this.opts.secret, path, nowSec + this.opts.ttlSec);
  }

  video(videoId: string, nowSec = Math.floor(Date.now() / 1000)): string {
    return this.sign(`${SOURCE_PREFIX}/${encodeURIComponent(videoId)}`, nowSec);
  }

  /** `fileName` is a file under DATA_DIR/media/narration. */
  narration(fileName: string, nowSec = Math.floor(Date.now() / 1000)): string {
    return this.sign(`${NARRATION_PREFIX}/${encodeURIComponent(fileName)}`, nowSec);
  }

  /** A built-in music bed by mood (fixtures/music/<mood>.m4a). */
  music(mood: string, nowSec = Math.floor(Date.now() / 1000)): string {
    return this.sign(`${MUSIC_PREFIX}/${encodeURIComponent(mood)}`, nowSec);
  }

  /** Throws 401 invalid_signature for a missing, tampered or expired signature. */
  verify(path: string, query: Record<string, unknown>): void {
    const check = verifySignedPath({ secret: this.opts.secret, path, exp: query.exp, sig: query.sig });
    if (!check.ok) throw new AppError('invalid_signature', check.reason);
  }
}
