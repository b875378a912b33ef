import { runProcess, type RunResult } from './process-runner.js';
import { normalizeProbe, PROBE_ARGS, type MediaInfo } from './probe.js';
import { parseProgressLine, progressFraction } from './progress.js';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

export interface FfmpegCapabilities {
  version: string;
  hasXfade: boolean;
}

/** Explicit paths win; otherwise the binaries bundled by the npm installers. */
export async function resolveBinaries(paths: { ffmpegPath?: string; ffprobePath?: string }): Promise<FfmpegBinaries> {
  const ffmpeg = paths.ffmpegPath ?? (await import('@ffmpeg-installer/ffmpeg')).default.path;
  const ffprobe = paths.ffprobePath ?? (await import('@ffprobe-installer/ffprobe')).default.path;
  return { ffmpeg, ffprobe };
}

/** Whether `ffmpeg -filters` lists a filter (lines look like ` TS. overlay  VV->V  Overlay …`). */
export function hasFilter(listing: string, name: string): boolean {
  return listing.split('\n').some((line) => line.trim().split(/\s+/)[1] === name);
}

export class Ffmpeg {
  constructor(readonly binaries: FfmpegBinaries) {}

  async probe(path: string, signal?: AbortSignal): Promise<MediaInfo> {
    const result = await runProcess({ command: this.binaries.ffprobe, args: [...PROBE_ARGS, path], signal, collectStdout: true, timeoutMs: 30_000 });
    return normalizeProbe(JSON.parse(result.stdout || '{}'));
  }

  /** Runs ffmpeg with `-progress pipe:1` appended; reports 0–1 against the expected output duration. */
  async render(options: {
    args: string[];
    expectedDurationSec: number;
    signal?: AbortSignal;
    timeoutMs?: number;
    onProgress?: (fraction: number) => void;
    measureMemory?: boolean;
  }): Promise<RunResult> {
    const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-progress', 'pipe:1', ...options.args];
    return runProcess({
      command: this.binaries.ffmpeg,
      args,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      measureMemory: options.measureMemory,
      onStdoutLine: (line) => {
        const update = parseProgressLine(line);
        if (update?.outTimeSec !== undefined) options.onProgress?.(progressFraction(update.outTimeSec, options.expectedDurationSec));
      },
    });
  }

  /** Both binaries run, and which optional filters this build has. */
  async capabilities(signal?: AbortSignal): Promise<FfmpegCapabilities> {
    const version = await runProcess({ command: this.binaries.ffmpeg, args: ['-hide_banner', '-version'], signal, collectStdout: true, timeoutMs: 10_000 });
    await runProcess({ command: this.binaries.ffprobe, args: ['-hide_banner', '-version'], signal, collectStdout: true, timeoutMs: 10_000 });
    const filters = await runProcess({ command: this.binaries.ffmpeg, args: ['-hide_banner', '-filters'], signal, collectStdout: true, timeoutMs: 10_000 });
    return {
      version: version.stdout.split('\n')[0]?.trim() ?? 'unknown',
      hasXfade: hasFilter(filters.stdout, 'xfade'),
    };
  }
}
