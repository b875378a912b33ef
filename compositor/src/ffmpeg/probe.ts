/** ffprobe JSON normalised once, here, into our own camelCase shape. */
export interface MediaInfo {
  durationSec: number;
  sizeBytes?: number;
  video?: { codec: string; width: number; height: number; fps: number; durationSec?: number; pixFmt?: string };
  audio?: { codec: string; sampleRate: number; channels: number; durationSec?: number };
}

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  sample_rate?: string;
  channels?: number;
  pix_fmt?: string;
  disposition?: { attached_pic?: number };
}

interface RawProbe {
  streams?: RawStream[];
  format?: { duration?: string; size?: string };
}

export const PROBE_ARGS = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams'];

function rate(value: string | undefined): number {
  if (!value) return 0;
  const [n, d] = value.split('/').map(Number);
  if (!d) return Number.isFinite(n) ? n : 0;
  return n / d;
}

function num(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) ? n : undefined;
}

export function normalizeProbe(raw: RawProbe): MediaInfo {
  const streams = raw.streams ?? [];
  const v = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const a = streams.find((s) => s.codec_type === 'audio');
  const info: MediaInfo = {
    durationSec: num(raw.format?.duration) ?? num(v?.duration) ?? num(a?.duration) ?? 0,
    sizeBytes: num(raw.format?.size),
  };
  if (v) {
    info.video = {
      codec: v.codec_name ?? 'unknown',
      width: v.width ?? 0,
      height: v.height ?? 0,
      fps: rate(v.avg_frame_rate) || rate(v.r_frame_rate),
      durationSec: num(v.duration),
      pixFmt: v.pix_fmt,
    };
  }
  if (a) {
    info.audio = { codec: a.codec_name ?? 'unknown', sampleRate: num(a.sample_rate) ?? 0, channels: a.channels ?? 0, durationSec: num(a.duration) };
  }
  return info;
}
