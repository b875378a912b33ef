import { z } from 'zod';
import type { AudioConfig } from './bundle-types.js';

/** Defaults and ranges of every audioConfig field (see bundle-types.ts). */
export const AUDIO_DEFAULTS: AudioConfig = {
  speechPace: 1,
  pitch: 1,
  voiceVolume: 1,
  musicVolume: 0.25,
  nativeVolume: 0.5,
  voiceStartSec: 0.5,
  musicStartSec: 0,
};

export const AUDIO_RANGES: Record<keyof AudioConfig, { min: number; max: number | 'duration'; unit: string }> = {
  speechPace: { min: 0.5, max: 2, unit: '(1 = 150 words per minute)' },
  pitch: { min: 0.5, max: 1.5, unit: '(1 = normal voice)' },
  voiceVolume: { min: 0, max: 2, unit: '(1 = unchanged)' },
  musicVolume: { min: 0, max: 2, unit: '(1 = unchanged)' },
  nativeVolume: { min: 0, max: 2, unit: '(1 = unchanged)' },
  voiceStartSec: { min: 0, max: 'duration', unit: 'seconds' },
  musicStartSec: { min: 0, max: 'duration', unit: 'seconds' },
};

function field(name: keyof AudioConfig) {
  const { min, max, unit } = AUDIO_RANGES[name];
  const range = max === 'duration' ? `from ${min} to the video duration in ${unit}` : `from ${min} to ${max} ${unit}`;
  const message = `audioConfig.${name} must be a number ${range}.`;
  const base = z.number({ error: message }).min(min, { message });
  return (max === 'duration' ? base : base.max(max, { message })).optional();
}

/**
 * Every field optional; unknown fields are refused so a typo such as
 * `speechpace` is not silently ignored. The start times are checked against
 * the duration by `checkStartTimes`, since the schema alone does not know it.
 */
export const audioConfigSchema = z
  .strictObject(
    {
      speechPace: field('speechPace'),
      pitch: field('pitch'),
      voiceVolume: field('voiceVolume'),
      musicVolume: field('musicVolume'),
      nativeVolume: field('nativeVolume'),
      voiceStartSec: field('voiceStartSec'),
      musicStartSec: field('musicStartSec'),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `audioConfig has unknown field(s) ${issue.keys.join(', ')}; use speechPace, pitch, voiceVolume, musicVolume, nativeVolume, voiceStartSec, musicStartSec.`
          : 'audioConfig must be an object such as {"speechPace": 1, "voiceStartSec": 0.5}.',
    },
  )
  .optional();

export type AudioConfigInput = z.output<typeof audioConfigSchema>;

/** Fills the defaults; keeps the start times inside the slot. */
export function resolveAudioConfig(input: AudioConfigInput, durationSec: number): AudioConfig {
  const merged: AudioConfig = { ...AUDIO_DEFAULTS };
  for (const [k, v] of Object.entries(input ?? {})) {
    if (typeof v === 'number') merged[k as keyof AudioConfig] = v;
  }
  merged.voiceStartSec = Math.min(merged.voiceStartSec, durationSec);
  merged.musicStartSec = Math.min(merged.musicStartSec, durationSec);
  return merged;
}

/** Issues for start times past the end of the slot, for a zod superRefine on the whole body. */
export function startTimeIssues(input: AudioConfigInput, durationSec: number): Array<{ path: string[]; message: string }> {
  const issues: Array<{ path: string[]; message: string }> = [];
  for (const name of ['voiceStartSec', 'musicStartSec'] as const) {
    const v = input?.[name];
    if (typeof v === 'number' && v > durationSec) {
      issues.push({ path: ['audioConfig', name], message: `audioConfig.${name} must be a number from 0 to the video duration (${durationSec}) in seconds.` });
    }
  }
  return issues;
}
