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
    const assets = await prepareAssets(spec, workDir, deps, signal);
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
    deps.logger.info({ name, wallMs: run.wallMs, peakRssBytes: run.peakRssBytes }, 'render completed');
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

async function prepareAssets(spec: ComposeSpec, dir: string, deps: RenderDeps, signal: AbortSignal) {
  const size = frameSize(spec);
  const get = async (url: string, file: string) => {
    const path = join(dir, file);
    await fetchSource(url, path, deps.fetchLimits, signal);
    return path;
  };
  const segmentPaths = await Promise.all(spec.segments.map((s, i) => get(s.url, `segment-${i}`)));
  const infos = await Promise.all(segmentPaths.map((p) => deps.ffmpeg.probe(p, signal).catch(() => undefined)));
  infos.forEach((info, i) => {
    if (!info?.video) throw new SourceError(`segments.${i}.url is not a video ffmpeg can read.`);
  });
  const timeline = computeTimeline(
    spec,
    infos.map((i) => ({ durationSec: i?.video?.durationSec ?? i?.durationSec ?? 0, hasAudio: Boolean(i?.audio) })),
  );
  const graph: GraphAssets = { segments: timeline.clips.map((c) => segmentPaths[c.index]), overlays: [] };
  for (const kind of ['voice', 'music'] as const) {
    const track = spec.audio[kind];
    if (!track) continue;
    const path = await get(track.url, kind);
    const info = await deps.ffmpeg.probe(path, signal).catch(() => undefined);
    if (!info?.audio) throw new SourceError(`audio.${kind}.url is not audio ffmpeg can read.`);
    graph[kind] = path;
  }
  if (spec.captions?.burnIn && spec.captions.cues.length > 0) {
    graph.captions = join(dir, 'captions.ass');
    await writeFile(graph.captions, buildAss({ cues: spec.captions.cues, style: spec.captions.style, size }), 'utf8');
  }
  for (const [i, overlay] of spec.textOverlays.entries()) {
    const path = join(dir, `overlay-${i}.png`);
    await writeFile(path, await renderTextImage({ text: overlay.text, size, fontsDir: deps.fontsDir, scale: 0.06, boxed: true }));
    graph.overlays.push(path);
  }
  if (spec.watermark) {
    const path = join(dir, 'watermark.png');
    const image = spec.watermark.imageUrl
      ? await prepareWatermarkImage(await readFile(await get(spec.watermark.imageUrl, 'watermark-source')), size, spec.watermark.opacity).catch((err) => {
          if (err instanceof SourceError) throw err;
          throw new SourceError('watermark.imageUrl is not an image sharp can read.');
        })
      : await renderTextImage({ text: spec.watermark.text ?? '', size, fontsDir: deps.fontsDir, scale: 0.045, boxed: false, opacity: spec.watermark.opacity });
    await writeFile(path, image);
    graph.watermark = path;
  }
  return { timeline, graph };
}
