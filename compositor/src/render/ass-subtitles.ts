import type { CaptionCue } from '../../../shared/src/compose-spec.js';
import type { FrameSize } from './video-graph.js';

export type CaptionStyle = 'clean' | 'bold';
export const CAPTION_FONT = 'DejaVu Sans';

/**
 * Caption cues as an ASS subtitle file. The text is made literal for libass:
 * `{…}` would be an override block and `\N`, `\n`, `\h` escapes, so braces are
 * escaped and every backslash is followed by a WORD JOINER (U+2060, invisible,
 * in the shipped font) so it can never start an escape. Newlines become `\N`,
 * so a cue can never add lines (events, styles) to the file.
 */
export function escapeAssText(text: string): string {
  return text
    .replace(/\\/g, '\\\u2060')
    .replace(/[{}]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n|\u2028|\u2029|\u0085/g, '\\N')
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** ASS timestamps are H:MM:SS.cc (centiseconds). */
export function assTime(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  const c = cs % 100;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(c).padStart(2, '0')}`;
}

/** Bottom margin per aspect: vertical video keeps captions above the platform's own UI. */
export function captionMargins(size: FrameSize): { side: number; bottom: number } {
  const portrait = size.height > size.width;
  const square = size.height === size.width;
  return { side: Math.round(size.width * 0.07), bottom: Math.round(size.height * (portrait ? 0.16 : square ? 0.1 : 0.08)) };
}

function styleLine(style: CaptionStyle, size: FrameSize): string {
  const fontSize = Math.max(8, Math.round(Math.min(size.width, size.height) * (style === 'bold' ? 0.068 : 0.062)));
  const { side, bottom } = captionMargins(size);
  // Colours are &HAABBGGRR with AA = transparency.
  const spec =
    style === 'bold'
      ? { bold: -1, primary: '&H0000E6FF', outline: '&H50000000', back: '&H50000000', borderStyle: 3, outline_w: Math.max(1, Math.round(fontSize * 0.25)), shadow: 0 }
      : { bold: 0, primary: '&H00FFFFFF', outline: '&H00000000', back: '&H80000000', borderStyle: 1, outline_w: Math.max(1, Math.round(fontSize * 0.06)), shadow: 1 };
  return [
    'Style: Default',
    CAPTION_FONT,
    fontSize,
    spec.primary,
    '&H000000FF',
    spec.outline,
    spec.back,
    spec.bold,
    0,
    0,
    0,
    100,
    100,
    0,
    0,
    spec.borderStyle,
    spec.outline_w,
    spec.shadow,
    2,
    side,
    side,
    bottom,
    1,
  ].join(',');
}

export function buildAss(options: { cues: CaptionCue[]; style: CaptionStyle; size: FrameSize }): string {
  const { size } = options;
  const header = [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${size.width}`,
    `PlayResY: ${size.height}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: TV.709',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    styleLine(options.style, size),
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ];
  const events = options.cues.map((cue) => `Dialogue: 0,${assTime(cue.startSec)},${assTime(cue.endSec)},Default,,0,0,0,,${escapeAssText(cue.text)}`);
  return [...header, ...events, ''].join('\n');
}
