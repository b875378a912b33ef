import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_FONT = fileURLToPath(new URL('../../../../fixtures/fonts/DejaVuSans.ttf', import.meta.url));

/**
 * Used by config when no font path is set: the repository's DejaVu Sans, then
 * the system's, then any TTF under /usr/share/fonts. Undefined when none exists
 * (the local provider then renders without on-screen text and says so).
 */
export function findDefaultFont(searchDirs: string[] = ['/usr/share/fonts']): string | undefined {
  const known = [REPO_FONT, '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'];
  const hit = known.find((p) => existsSync(p));
  if (hit) return hit;
  for (const dir of searchDirs) {
    const found = findTtf(dir, 4);
    if (found) return found;
  }
  return undefined;
}

function findTtf(dir: string, depth: number): string | undefined {
  if (depth < 0 || !existsSync(dir)) return undefined;
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const file = entries.find((e) => e.isFile() && /\.ttf$/i.test(e.name));
  if (file) return join(dir, file.name);
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const nested = findTtf(join(dir, e.name), depth - 1);
    if (nested) return nested;
  }
  return undefined;
}
