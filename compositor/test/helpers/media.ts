import { Ffmpeg, resolveBinaries } from '../../src/ffmpeg/ffmpeg-adapter.js';
import { runProcess } from '../../src/ffmpeg/process-runner.js';

let cached: Ffmpeg | undefined;
export async function testFfmpeg(): Promise<Ffmpeg> {
  cached ??= new Ffmpeg(await resolveBinaries({}));
  return cached;
}

/** RGB of one pixel of the frame at `atSec` (decoded with ffmpeg, no image libraries needed). */
export async function pixelAt(file: string, atSec: number, x: number, y: number): Promise<[number, number, number]> {
  const ff = await testFfmpeg();
  const result = await runProcess({
    command: ff.binaries.ffmpeg,
    args: ['-v', 'error', '-ss', String(atSec), '-i', file, '-frames:v', '1', '-vf', `format=rgb24,crop=1:1:${x}:${y}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    collectStdout: true,
  });
  const bytes = result.stdoutBytes;
  return [bytes[0], bytes[1], bytes[2]];
}

/** Mean absolute difference of two frames' region, 0–255. */
export async function regionDiff(a: string, b: string, atSec: number, region: { x: number; y: number; w: number; h: number }): Promise<number> {
  const ff = await testFfmpeg();
  const grab = async (file: string) => {
    const r = await runProcess({
      command: ff.binaries.ffmpeg,
      args: ['-v', 'error', '-ss', String(atSec), '-i', file, '-frames:v', '1', '-vf', `format=rgb24,crop=${region.w}:${region.h}:${region.x}:${region.y}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
      collectStdout: true,
    });
    return r.stdoutBytes;
  };
  const [pa, pb] = await Promise.all([grab(a), grab(b)]);
  let sum = 0;
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) sum += Math.abs(pa[i] - pb[i]);
  return sum / Math.max(1, Math.min(pa.length, pb.length));
}
