import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';

/**
 * FFMPEG_PATH / FFPROBE_PATH (read by the caller's config) win; otherwise the
 * binaries bundled by the installer packages, so a fresh checkout works offline.
 */
export function resolveFfmpegPaths(opts: { ffmpegPath?: string; ffprobePath?: string }): { ffmpeg: string; ffprobe: string } {
  return {
    ffmpeg: nonEmpty(opts.ffmpegPath) ?? ffmpegInstaller.path,
    ffprobe: nonEmpty(opts.ffprobePath) ?? ffprobeInstaller.path,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}
