import type { AspectRatio } from './types.js';

export type RenderSize = 'full' | 'preview';

const FRAMES: Record<RenderSize, Record<AspectRatio, { width: number; height: number }>> = {
  full: { '16:9': { width: 1920, height: 1080 }, '9:16': { width: 1080, height: 1920 }, '1:1': { width: 1080, height: 1080 } },
  preview: { '16:9': { width: 640, height: 360 }, '9:16': { width: 360, height: 640 }, '1:1': { width: 480, height: 480 } },
};

export function frameSize(aspect: AspectRatio, size: RenderSize): { width: number; height: number } {
  return FRAMES[size][aspect];
}
