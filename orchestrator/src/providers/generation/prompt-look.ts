import { createHash } from 'node:crypto';

export interface PromptLook {
  /** 0xRRGGBB */
  background: string;
  accent: string;
  /** Three chord tones in Hz (root, third, fifth). */
  notes: [number, number, number];
  /** Seconds for the accent shape to sweep across and back. */
  periodSec: number;
}

// A pentatonic set of roots keeps every prompt's chord pleasant.
const ROOTS_HZ = [130.81, 146.83, 164.81, 196.0, 220.0, 261.63];

/**
 * Pure and deterministic: the same prompt always gets the same colors, motion
 * and chord, so a re-render after a restart is the same clip.
 */
export function promptLook(prompt: string): PromptLook {
  const h = createHash('sha256').update(prompt, 'utf8').digest();
  const hue = (h[0]! * 360) / 256;
  const root = ROOTS_HZ[h[3]! % ROOTS_HZ.length]!;
  const minor = h[4]! % 2 === 1;
  return {
    background: hslHex({ hue, sat: 0.55, light: 0.22 + (h[1]! / 255) * 0.1 }),
    accent: hslHex({ hue: (hue + 150 + (h[2]! % 60)) % 360, sat: 0.7, light: 0.55 }),
    notes: [root, round2(root * (minor ? 1.2 : 1.25)), round2(root * 1.5)],
    periodSec: 3 + (h[5]! % 5),
  };
}

function hslHex(c: { hue: number; sat: number; light: number }): string {
  const a = c.sat * Math.min(c.light, 1 - c.light);
  const f = (n: number): number => {
    const k = (n + c.hue / 30) % 12;
    return Math.round(255 * (c.light - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return '0x' + [f(0), f(8), f(4)].map((v) => v.toString(16).padStart(2, '0')).join('').toUpperCase();
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
