import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComposeOutput, ComposeSpec } from '../../../shared/src/compose-spec.js';
import type { Logger } from '../../../shared/src/logger.js';
import type { Ffmpeg } from '../ffmpeg/ffmpeg-adapter.js';
import { ProcessAbortedError, ProcessFailedError } from '../ffmpeg/process-runner.js';
import type { CompositeStore } from '../storage/composite-store.js';
import { fetchSource, SourceError, type FetchLimits } from '../storage/source-fetcher.js';
import { buildAss } from './ass-subtitles.js';
import { buildFilterGraph, ffmpegArgs, frameSize, type GraphAssets } from './filter-graph.js';
import { prepareWatermarkImage, renderTextImage } from './text-image.js';
import { computeTimeline, TimelineError } from './timeline.js';
import { verifyOutput } from './verify-output.js';

export interface RenderDeps {
  ffmpeg: Ffmpeg;
  store: CompositeStore;
  fetchLimits: FetchLimits;
  fontsDir: string;
  useXfade: boolean;
  renderTimeoutMs: number;
  publicUrl: () => string;
  logger: Logger;
}

export type RenderOutcome =
  | { status: 'completed'; name: string; output: ComposeOutput; peakRssBytes?: number }
  | { status: 'failed'; code: string; message: string }
  | { status: 'canceled' };

/** Fetch, probe, build the graph, render in one ffmpeg pass, verify, publish. Temp files go in every outcome. */
export async function renderComposite(options: {
  spec: ComposeSpec;
  workDir: string;
  deps: RenderDeps;
  signal: AbortSignal;
  onProgress: (fraction: number) => void;
}): Promise<RenderOutcome> {
  const { spec, workDir, deps, signal } = options;
  await mkdir(workDir, { recursive: true });
  try {
    const started = Date.now();
    const assets = await prepareAssets({ spec, dir: workDir, deps, signal });
    const prepareMs = Date.now() - started;
    const outputPath = join(workDir, 'output.mp4');
    const job = buildFilterGraph({ spec, timeline: assets.timeline, assets: assets.graph, fontsDir: deps.fontsDir, outputPath, useXfade: deps.useXfade });
    const size = frameSize(spec);
    const run = await deps.ffmpeg.render({
      args: ffmpegArgs(job),
      expectedDurationSec: job.expectedDurationSec,
      signal,
      timeoutMs: deps.renderTimeoutMs,
      onProgress: options.onProgress,
      measureMemory: true,
    });
    const info = await deps.ffmpeg.probe(outputPath, signal);
    const problems = verifyOutput(info, { durationSec: spec.output.durationSec, toleranceSec: spec.output.toleranceSec, width: size.width, height: size.height, fps: spec.output.fps });
    if (problems.length > 0) return { status: 'failed', code: 'verification_failed', message: `The render did not pass verification: ${problems.join('; ')}.` };
    const name = deps.store.newName();
    await deps.store.put(outputPath, name);
    const sizeBytes = (await stat(join(deps.store.dir, name))).size;
    deps.logger.info({ name, prepareMs, ffmpegMs: run.wallMs, totalMs: Date.now() - started, peakRssBytes: run.peakRssBytes }, 'render completed');
    return {
      status: 'completed',
      name,
      peakRssBytes: run.peakRssBytes,
      output: { url: `${deps.publicUrl()}/composites/${name}`, durationSec: Number(info.durationSec.toFixed(3)), width: size.width, height: size.height, sizeBytes },
    };
  } catch (err) {
    if (signal.aborted || err instanceof ProcessAbortedError) {
      if (signal.aborted) return { status: 'canceled' };
      return { status: 'failed', code: 'render_timeout', message: `The render was stopped: ${(err as Error).message}.` };
    }
    if (err instanceof SourceError) return { status: 'failed', code: 'source_unavailable', message: err.message };
    if (err instanceof TimelineError) return { status: 'failed', code: 'invalid_timeline', message: err.message };
    if (err instanceof ProcessFailedError) {
      deps.logger.error({ stderr: err.result.stderrTail }, 'ffmpeg failed');
      return { status: 'failed', code: 'render_failed', message: 'ffmpeg could not render this spec; see the compositor log for details.' };
    }
    deps.logger.error({ err }, 'render crashed');
    return { status: 'failed', code: 'internal_error', message: 'The compositor hit an unexpected error while rendering.' };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function prepareAssets({ spec, dir, deps, signal }: { spec: ComposeSpec; dir: string; deps: RenderDeps; signal: AbortSignal }) {
  const size = frameSize(spec);
  const get = async (url: string, file: string) => {
    const path = join(dir, file);
    await fetchSource({ url, dest: path, limits: deps.fetchLimits, signal });
    return path;
  };
  const probeAs = async (path: string, what: 'video' | 'audio', field: string) => {
    const info = await deps.ffmpeg.probe(path, signal).catch(() => undefined);
    if (!info?.[what]) throw new SourceError(`${field} is not ${what === 'video' ? 'a video' : 'audio'} ffmpeg can read.`);
    return info;
  };
  // Everything independent runs at once: downloads, probes and text images overlap.
  const segments = Promise.all(
    spec.segments.map(async (s, i) => {
      const path = await get(s.url, `segment-${i}`);
      return { path, info: await probeAs(path, 'video', `segments.${i}.url`) };
    }),
  );
  const track = async (kind: 'voice' | 'music') => {
    const t = spec.audio[kind];
    if (!t) return undefined;
    const path = await get(t.url, kind);
    await probeAs(path, 'audio', `audio.${kind}.url`);
    return path;
  };
  const captions = async () => {
    if (!spec.captions?.burnIn || spec.captions.cues.length === 0) return undefined;
    const path = join(dir, 'captions.ass');
    await writeFile(path, buildAss({ cues: spec.captions.cues, style: spec.captions.style, size }), 'utf8');
    return path;
  };
  const overlays = Promise.all(
    spec.textOverlays.map(async (overlay, i) => {
      const path = join(dir, `overlay-${i}.png`);
      await writeFile(path, await renderTextImage({ text: overlay.text, size, fontsDir: deps.fontsDir, scale: 0.06, boxed: true }));
      return path;
    }),
  );
  const watermark = async () => {
    if (!spec.watermark) return undefined;
    const path = join(dir, 'watermark.png');
    const image = spec.watermark.imageUrl
      ? await prepareWatermarkImage({ image: await readFile(await get(spec.watermark.imageUrl, 'watermark-source')), size, opacity: spec.watermark.opacity }).catch((err) => {
          if (err instanceof SourceError) throw err;
          throw new SourceError('watermark.imageUrl is not an image sharp can read.');
        })
      : await renderTextImage({ text: spec.watermark.text ?? '', size, fontsDir: deps.fontsDir, scale: 0.045, boxed: false, opacity: spec.watermark.opacity });
    await writeFile(path, image);
    return path;
  };
  const settled = await Promise.allSettled([segments, track('voice'), track('music'), captions(), overlays, watermark()] as const);
  const failure = settled.find((r) => r.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  const [seg, voice, music, ass, images, mark] = settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    Awaited<typeof segments>,
    string | undefined,
    string | undefined,
    string | undefined,
    string[],
    string | undefined,
  ];
  const timeline = computeTimeline(
    spec,
    seg.map(({ info }) => ({ durationSec: info.video?.durationSec ?? info.durationSec, hasAudio: Boolean(info.audio) })),
  );
  const graph: GraphAssets = { segments: timeline.clips.map((c) => seg[c.index].path), voice, music, captions: ass, overlays: images, watermark: mark };
  return { timeline, graph };
}
