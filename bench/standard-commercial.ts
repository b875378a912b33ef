import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Aspect, ComposeSpecInput } from '../shared/src/compose-spec.js';
import { runProcess } from '../compositor/src/ffmpeg/process-runner.js';

/**
 * The "standard commercial": three 1080p clips with sound, fades, bold
 * captions, narration + music, a text overlay and a watermark, 15 s.
 * Shared by the golden render test and the benchmark.
 */
export const ROOT = resolve(fileURLToPath(new URL('../', import.meta.url)));
export const SLOT_SEC = 15;

export interface CommercialSources {
  dir: string;
  clips: string[];
  voice: string;
  music: string;
}

const CLIPS = [
  { name: 'clip-a.mp4', video: 'testsrc2=s=1920x1080:r=30:d=7', tone: 'sine=f=220:r=48000:d=7' },
  { name: 'clip-b.mp4', video: 'testsrc2=s=1920x1080:r=30:d=8,hue=h=120', tone: 'sine=f=330:r=48000:d=8' },
  { name: 'clip-c.mp4', video: 'testsrc2=s=1920x1080:r=30:d=7,negate', tone: 'sine=f=440:r=48000:d=7' },
];

/** Generates the 1080p sources once (cached in `dir`). */
export async function ensureSources(ffmpeg: string, dir: string): Promise<CommercialSources> {
  await mkdir(dir, { recursive: true });
  const run = (args: string[]) => runProcess({ command: ffmpeg, args: ['-hide_banner', '-loglevel', 'error', '-y', ...args] });
  for (const clip of CLIPS) {
    const path = join(dir, clip.name);
    if (existsSync(path)) continue;
    await run(['-f', 'lavfi', '-i', clip.video, '-f', 'lavfi', '-i', clip.tone, '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '26', '-g', '60', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k', '-shortest', path]);
  }
  const voice = join(dir, 'voice.wav');
  if (!existsSync(voice)) {
    await run(['-f', 'lavfi', '-i', 'aevalsrc=0.5*sin(2*PI*170*t)*abs(sin(2*PI*2.5*t))*lt(mod(t\\,4)\\,3.4):s=22050:d=13', '-c:a', 'pcm_s16le', voice]);
  }
  return { dir, clips: CLIPS.map((c) => join(dir, c.name)), voice, music: join(ROOT, 'fixtures', 'music', 'upbeat.m4a') };
}

export const CAPTION_CUES = [
  { startSec: 0.5, endSec: 3.2, text: 'Fresh bread, baked every morning' },
  { startSec: 3.4, endSec: 6.4, text: 'Locally sourced flour & butter' },
  { startSec: 6.6, endSec: 9.6, text: 'Coffee roasted in-house' },
  { startSec: 9.8, endSec: 12.6, text: 'Open 7 days: 7am–7pm' },
  { startSec: 12.8, endSec: 14.6, text: 'Visit us on Main Street!' },
];

/** The compose spec, with source URLs from `url(file name)`. */
export function commercialSpec(aspect: Aspect, url: (name: string) => string, size?: { width: number; height: number }): ComposeSpecInput {
  return {
    output: { aspect, durationSec: SLOT_SEC, fps: 30, toleranceSec: 0.1, ...size },
    segments: [{ url: url('clip-a.mp4'), endSec: 6 }, { url: url('clip-b.mp4'), startSec: 1, endSec: 7 }, { url: url('clip-c.mp4') }],
    transition: { type: 'fade', durationSec: 0.5 },
    captions: { cues: CAPTION_CUES, style: 'bold', burnIn: true },
    audio: { nativeVolume: 0.4, voice: { url: url('voice.wav'), volume: 1, startSec: 0.5 }, music: { url: url('upbeat.m4a'), volume: 0.5, startSec: 0 } },
    textOverlays: [{ text: 'Grand opening: 20% off', startSec: 1, endSec: 4, position: 'top' }],
    watermark: { text: 'NearIQ', position: 'bottom-right', opacity: 0.6 },
  };
}
