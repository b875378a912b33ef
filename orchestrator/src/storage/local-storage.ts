import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/src/errors.js';

/**
 * Media on local disk under DATA_DIR/media. Finished files are written to a
 * temp name and renamed into place, so a reader never sees half a file.
 */
export class LocalStorage {
  readonly root: string;
  private readonly tmpDir: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir, 'media');
    this.tmpDir = join(this.root, 'tmp');
    mkdirSync(join(this.root, 'videos'), { recursive: true });
    mkdirSync(join(this.root, 'narration'), { recursive: true });
    mkdirSync(this.tmpDir, { recursive: true });
  }

  /** Path of a stored object by key (e.g. "videos/vid_x.mp4"); refuses any escape from the root. */
  pathOf(key: string): string {
    const full = resolve(this.root, key);
    if (!full.startsWith(this.root + sep) || key.includes('\0')) {
      throw new AppError('not_found', 'No such file.');
    }
    return full;
  }

  videoKey(videoId: string): string {
    return `videos/${videoId}.mp4`;
  }

  tempPath(ext: string): string {
    return join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}${ext}`);
  }

  commit(tempPath: string, key: string): string {
    const dest = this.pathOf(key);
    mkdirSync(resolve(dest, '..'), { recursive: true });
    renameSync(tempPath, dest);
    return dest;
  }

  discard(path: string): void {
    rmSync(path, { force: true });
  }
}
