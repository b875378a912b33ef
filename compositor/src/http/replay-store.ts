import { mkdirSync } from 'node:fs';
import { readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SIGNATURE_TOLERANCE_SEC } from '../../../shared/src/signing.js';

/**
 * Signatures seen inside the signature window, shared by every worker that
 * mounts the same DATA_DIR: a request replayed to another worker is refused
 * too. Each signature is a file created exclusively ('wx'), which is atomic
 * across processes; files older than the window are swept.
 */
export class SharedReplayStore {
  private lastSweep = 0;

  constructor(
    private readonly dir: string,
    private readonly windowSec: number = DEFAULT_SIGNATURE_TOLERANCE_SEC,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** False when the signature was already seen within the window. */
  async remember(signature: string, nowMs: number = Date.now()): Promise<boolean> {
    if (!/^[0-9a-f]{64}$/.test(signature)) return false;
    const file = join(this.dir, signature);
    await this.sweep(nowMs);
    try {
      await writeFile(file, '', { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return false;
    }
  }

  /** At most once a minute: forget signatures older than twice the window (their timestamps are stale anyway). */
  private async sweep(nowMs: number): Promise<void> {
    if (nowMs - this.lastSweep < 60_000) return;
    this.lastSweep = nowMs;
    const cutoff = nowMs - this.windowSec * 2000;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const info = await stat(join(this.dir, name)).catch(() => null);
      if (info && info.mtimeMs < cutoff) await unlink(join(this.dir, name)).catch(() => undefined);
    }
  }
}
