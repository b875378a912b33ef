/** Our one shape of ffprobe output; nothing outside media/ sees ffprobe's snake_case JSON. */
export interface ProbeResult {
  durationSec: number;
  width: number;
  height: number;
  fps: number;
  hasVideo: boolean;
  hasAudio: boolean;
  sizeBytes: number;
  formatName: string;
}

interface RawStream {
  codec_type?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
}

interface RawProbe {
  streams?: RawStream[];
  format?: { duration?: string; size?: string; format_name?: string };
}

/** Pure: ffprobe `-show_format -show_streams -of json` text → ProbeResult. */
export function normalizeProbe(json: string): ProbeResult {
  const raw = JSON.parse(json) as RawProbe;
  const streams = raw.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  const audio = streams.find((s) => s.codec_type === 'audio');
  const durationSec = toNumber(raw.format?.duration) ?? toNumber(video?.duration) ?? toNumber(audio?.duration) ?? 0;
  return {
    durationSec,
    width: video?.width ?? 0,
    height: video?.height ?? 0,
    fps: parseRate(video?.avg_frame_rate) || parseRate(video?.r_frame_rate),
    hasVideo: video !== undefined,
    hasAudio: audio !== undefined,
    sizeBytes: toNumber(raw.format?.size) ?? 0,
    formatName: raw.format?.format_name ?? '',
  };
}

/** "30000/1001" → 29.97; "0/0" or garbage → 0. */
export function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [num, den = '1'] = rate.split('/');
  const n = Number(num);
  const d = Number(den);
  if (!Number.isFinite(n) || !Number.isFinite(d) || d === 0) return 0;
  return Math.round((n / d) * 1000) / 1000;
}

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
