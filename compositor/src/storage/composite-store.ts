import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, copyFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Finished renders: unguessable names (128 random bits), one flat directory, a retention sweep. */
export const COMPOSITE_NAME = /^[a-f0-9]{32}\.mp4$/;

export class CompositeStore {
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  newName(): string {
    return `${randomBytes(16).toString('hex')}.mp4`;
  }

  /** Only names we could have issued resolve to a path; anything else (`..`, slashes) is not found. */
  pathOf(name: string): string | undefined {
    return COMPOSITE_NAME.test(name) ? join(this.dir, name) : undefined;
  }

  async put(tempFile: string, name: string): Promise<string> {
    const target = join(this.dir, name);
    try {
      await rename(tempFile, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(tempFile, target);
      await rm(tempFile, { force: true });
    }
    return target;
  }

  async remove(name: string): Promise<void> {
    const path = this.pathOf(name);
    if (path) await rm(path, { force: true });
  }

  /** Deletes composites older than the retention; returns the names removed. */
  async sweep(retentionMs: number, now = Date.now()): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (!COMPOSITE_NAME.test(name)) continue;
      const info = await stat(join(this.dir, name)).catch(() => undefined);
      if (info && now - info.mtimeMs > retentionMs) {
        await rm(join(this.dir, name), { force: true });
        removed.push(name);
      }
    }
    return removed;
  }
}
