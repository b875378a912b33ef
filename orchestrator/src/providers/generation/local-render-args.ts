import { escapeFilterValue } from '../../media/filter-escape.js';
import { frameSize, type RenderSize } from './frame-size.js';
import { promptLook } from './prompt-look.js';
import type { GenerationRequest } from './types.js';

export interface LocalRenderPlan {
  req: Pick<GenerationRequest, 'prompt' | 'durationSec' | 'aspectRatio'>;
  size: RenderSize;
  /** drawtext needs a font file; without one the clip has no on-screen text. */
  fontPath?: string;
  /** File holding the on-screen text (written by the caller). */
  textFilePath: string;
  outPath: string;
}

export const LOCAL_FPS = 30;

/** On-screen text layout for a frame: font size and how many characters fit a line. */
export function cardLayout(width: number, height: number): { fontSize: number; maxCharsPerLine: number; maxLines: number } {
  const fontSize = Math.max(14, Math.round(Math.min(width, height) / 16));
  const maxCharsPerLine = Math.max(12, Math.floor((width * 0.86) / (fontSize * 0.6)));
  const maxLines = Math.max(3, Math.floor((height * 0.7) / (fontSize * 1.3)));
  return { fontSize, maxCharsPerLine, maxLines };
}

/**
 * Pure: the exact ffmpeg argument array of a local render. Everything is a
 * lavfi source, so the render needs no input media: a prompt-coloured
 * background, an accent square sweeping across it, the prompt's words
 * (from a file), and a soft chord whose notes come from the prompt.
 */
export function buildLocalRenderArgs(plan: LocalRenderPlan): string[] {
  const { width, height } = frameSize(plan.req.aspectRatio, plan.size);
  const d = plan.req.durationSec;
  const look = promptLook(plan.req.prompt);
  const box = Math.round(Math.min(width, height) / 4);
  const [n1, n2, n3] = look.notes;
  // Right channel slightly detuned for width; every term stays free of commas.
  const left = `0.12*sin(2*PI*${hz(n1)}*t)+0.09*sin(2*PI*${hz(n2)}*t)+0.07*sin(2*PI*${hz(n3)}*t)`;
  const right = `0.12*sin(2*PI*${hz(n1 * 1.003)}*t)+0.09*sin(2*PI*${hz(n2 * 0.997)}*t)+0.07*sin(2*PI*${hz(n3 * 1.002)}*t)`;
  const p = look.periodSec;

  const motion = `overlay=x='(W-w)/2+(W-w)/2*sin(2*PI*t/${p})':y='(H-h)/2+(H-h)/3*cos(2*PI*t/${p * 1.5})':shortest=1`;
  const chain = [motion];
  if (plan.fontPath) {
    const { fontSize } = cardLayout(width, height);
    chain.push(
      [
        'drawtext=expansion=none',
        `fontfile=${escapeFilterValue(plan.fontPath)}`,
        `textfile=${escapeFilterValue(plan.textFilePath)}`,
        `fontsize=${fontSize}`,
        'fontcolor=white',
        `line_spacing=${Math.round(fontSize * 0.3)}`,
        'box=1',
        'boxcolor=black@0.45',
        `boxborderw=${Math.round(fontSize * 0.5)}`,
        'x=(w-text_w)/2',
        'y=(h-text_h)/2',
      ].join(':'),
    );
  }
  chain.push('format=yuv420p');
  const fadeOut = Math.max(0, d - 0.6);
  const filter = [
    `[0:v][1:v]${chain.join(',')}[v]`,
    `[2:a]afade=t=in:d=0.6,afade=t=out:st=${fadeOut}:d=0.6[a]`,
  ].join(';');

  return [
    '-f', 'lavfi', '-i', `color=c=${look.background}:s=${width}x${height}:r=${LOCAL_FPS}:d=${d}`,
    '-f', 'lavfi', '-i', `color=c=${look.accent}:s=${box}x${box}:r=${LOCAL_FPS}:d=${d}`,
    '-f', 'lavfi', '-i', `aevalsrc=exprs='${left}|${right}':s=48000:d=${d}`,
    '-filter_complex', filter,
    '-map', '[v]',
    '-map', '[a]',
    '-t', String(d),
    '-r', String(LOCAL_FPS),
    '-c:v', 'libx264',
    '-preset', 'ultrafast',
    '-crf', '26',
    '-pix_fmt', 'yuv420p',
    '-g', String(LOCAL_FPS * 2),
    '-c:a', 'aac',
    '-b:a', '128k',
    '-ar', '48000',
    '-ac', '2',
    '-map_metadata', '-1',
    '-fflags', '+bitexact',
    '-movflags', '+faststart',
    '-f', 'mp4',
    plan.outPath,
  ];
}

function hz(n: number): string {
  return n.toFixed(2);
}
