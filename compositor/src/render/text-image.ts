import { join } from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import type { FrameSize } from './video-graph.js';

/**
 * Overlay and watermark text rendered to PNG by sharp (Pango), with the
 * shipped font, so ffmpeg only ever sees an image file. Pango reads markup,
 * so the text is escaped and always renders literally.
 */
export function escapePangoMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export interface TextImageOptions {
  text: string;
  size: FrameSize;
  fontsDir: string;
  /** Text height as a share of the frame's shorter side. */
  scale: number;
  /** Dark translucent box behind the text (overlays) or a plain shadowless mark (watermark). */
  boxed: boolean;
  opacity?: number;
}

export async function renderTextImage(options: TextImageOptions, attempt = 0): Promise<Buffer> {
  const { size } = options;
  const fontPx = Math.max(8, Math.round(Math.min(size.width, size.height) * options.scale));
  const pad = options.boxed ? Math.round(fontPx * 0.4) : Math.round(fontPx * 0.1);
  const maxWidth = Math.max(16, Math.round(size.width * 0.84) - 2 * pad);
  const render = (colour: string) =>
    sharp({
      text: {
        text: `<span foreground="${colour}">${escapePangoMarkup(options.text)}</span>`,
        font: `DejaVu Sans Bold ${fontPx}px`,
        fontfile: join(options.fontsDir, 'DejaVuSans-Bold.ttf'),
        width: maxWidth,
        align: 'centre',
        rgba: true,
        dpi: 72,
      },
    })
      .png()
      .toBuffer();
  const textPng = await render('#FFFFFF');
  const meta = await sharp(textPng).metadata();
  const needed = (meta.height ?? 1) + 2 * pad;
  if (needed > size.height * 0.9 && attempt < 3) {
    // Long text: shrink the font (area-wise) so the whole text fits in the frame.
    return renderTextImage({ ...options, scale: options.scale * Math.max(0.3, Math.sqrt((size.height * 0.85) / needed)) }, attempt + 1);
  }
  const width = Math.min(size.width, (meta.width ?? 1) + 2 * pad);
  const height = Math.min(size.height, (meta.height ?? 1) + 2 * pad);
  const background = options.boxed ? { r: 0, g: 0, b: 0, alpha: 0.55 } : { r: 0, g: 0, b: 0, alpha: 0 };
  const layers: OverlayOptions[] = [];
  if (!options.boxed) {
    // A soft shadow keeps an unboxed mark readable on light pictures.
    const shadow = await sharp(await render('#000000')).blur(Math.max(0.5, fontPx / 24)).png().toBuffer();
    layers.push({ input: shadow, left: Math.min(pad + 1, width - (meta.width ?? 1)), top: Math.min(pad + 1, height - (meta.height ?? 1)) });
  }
  layers.push({ input: textPng, left: pad, top: pad });
  const composed = await sharp({ create: { width, height, channels: 4, background } })
    .composite(layers)
    .png()
    .toBuffer();
  return withOpacity(composed, options.opacity ?? 1);
}

/** Scales an image's alpha; used for the watermark's opacity so the graph needs no extra filter. */
export async function withOpacity(image: Buffer, opacity: number): Promise<Buffer> {
  const withAlpha = await sharp(image).ensureAlpha().png().toBuffer();
  if (opacity >= 1) return withAlpha;
  // Two passes: sharp applies linear() before ensureAlpha() within one pipeline.
  return sharp(withAlpha).linear([1, 1, 1, opacity], [0, 0, 0, 0]).png().toBuffer();
}

/** A watermark image: at most a sixth of the frame width, opacity applied. */
export async function prepareWatermarkImage({ image, size, opacity }: { image: Buffer; size: FrameSize; opacity: number }): Promise<Buffer> {
  const resized = await sharp(image)
    .resize({ width: Math.max(8, Math.round(size.width / 6)), height: Math.max(8, Math.round(size.height / 6)), fit: 'inside', withoutEnlargement: false })
    .png()
    .toBuffer();
  return withOpacity(resized, opacity);
}
