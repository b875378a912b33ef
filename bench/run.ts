/**
 * `npm run bench`: the standard commercial at full size (16:9 and 9:16),
 * rendered through the compositor (HTTP, fetch, probe, render, verify) and by
 * the hand-written reference command, with wall time, CPU time and peak
 * ffmpeg memory of each and the ratios.
 *
 *   BENCH_RUNS=3        interleaved runs per side (median reported)
 *   BENCH_ASPECTS=16:9  subset of aspects
 *   BENCH_NAIVE=1       also run the naive single-pass graph (bench/naive-command.ts)
 */
import { createReadStream, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { FRAME_SIZES, composeSpecSchema, type Aspect, type ComposeJobView, type ComposeSpecInput } from '../shared/src/compose-spec.js';
import { createLogger } from '../shared/src/logger.js';
import { signBody } from '../shared/src/signing.js';
import { loadCompositorConfig } from '../compositor/src/config.js';
import { Ffmpeg, resolveBinaries } from '../compositor/src/ffmpeg/ffmpeg-adapter.js';
import { runProcess } from '../compositor/src/ffmpeg/process-runner.js';
import { buildAss } from '../compositor/src/render/ass-subtitles.js';
import { renderTextImage } from '../compositor/src/render/text-image.js';
import { startCompositor } from '../compositor/src/server.js';
import { measure, type Measurement } from './measure.js';
import { naiveArgs } from './naive-command.js';
import { referenceArgs, type ReferenceInputs } from './reference-command.js';
import { commercialSpec, ensureSources, ROOT } from './standard-commercial.js';

const OUT = join(ROOT, 'bench', 'out');
const SECRET = 'bench-secret';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ASPECTS: Aspect[] = (process.env.BENCH_ASPECTS?.split(',') as Aspect[] | undefined) ?? ['16:9', '9:16'];

async function main() {
  const ffmpeg = new Ffmpeg(await resolveBinaries({ ffmpegPath: process.env.FFMPEG_PATH, ffprobePath: process.env.FFPROBE_PATH }));
  console.log('preparing 1080p sources in bench/out/sources …');
  const sources = await ensureSources(ffmpeg.binaries.ffmpeg, join(OUT, 'sources'));
  const files = new Map([...sources.clips, sources.voice, sources.music].map((p) => [basename(p), p]));
  const server = createServer((req, res) => {
    const file = files.get(basename(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dataDir = join(OUT, 'data');
  await rm(dataDir, { recursive: true, force: true });
  const config = loadCompositorConfig({ ...process.env, DATA_DIR: dataDir, COMPOSITOR_PORT: '0', COMPOSITOR_HOST: '127.0.0.1', COMPOSITOR_SECRET: SECRET, COMPOSITOR_ALLOWED_ORIGINS: origin, COMPOSITOR_CONCURRENCY: '1' });
  const compositor = await startCompositor(config, createLogger('bench', process.env.LOG_LEVEL ?? 'warn'));
  const rows: { aspect: Aspect; compositor: Measurement; reference: Measurement; durations: [number, number] }[] = [];
  try {
    for (const aspect of ASPECTS) {
      const spec = commercialSpec(aspect, (name) => `${origin}/${name}`);
      const refOut = join(OUT, `reference-${aspect.replace(':', 'x')}.mp4`);
      const assets = await referenceAssets(aspect);
      const samples: { compositor: Measurement[]; reference: Measurement[] } = { compositor: [], reference: [] };
      let compositorDuration = 0;
      // Interleaved runs, median reported: the machine is shared, single runs are noisy.
      for (let run = 0; run < RUNS; run++) {
        samples.compositor.push(
          await measure(async () => {
            compositorDuration = await renderThroughCompositor(compositor.url, spec);
          }),
        );
        samples.reference.push(await measure(() => runProcess({ command: ffmpeg.binaries.ffmpeg, args: referenceArgs(referenceInputsFor(aspect, sources, refOut, assets)) }).then(() => undefined)));
      }
      const refInfo = await ffmpeg.probe(refOut);
      if (process.env.BENCH_NAIVE) {
        const naiveOut = join(OUT, `naive-${aspect.replace(':', 'x')}.mp4`);
        const naive = await measure(() => runProcess({ command: ffmpeg.binaries.ffmpeg, args: naiveArgs(referenceInputsFor(aspect, sources, naiveOut, assets)) }).then(() => undefined));
        console.log(`  naive single-pass graph (${aspect}): wall ${(naive.wallMs / 1000).toFixed(2)} s  cpu ${(naive.cpuMs / 1000).toFixed(2)} s  peak ${(naive.peakBytes / 2 ** 20).toFixed(0)} MiB`);
      }
      rows.push({ aspect, compositor: median(samples.compositor), reference: median(samples.reference), durations: [compositorDuration, refInfo.durationSec] });
      report(rows[rows.length - 1]);
    }
  } finally {
    await compositor.close();
    server.close();
  }
  const worst = Math.max(...rows.map((r) => r.compositor.wallMs / r.reference.wallMs));
  const peak = Math.max(...rows.map((r) => Math.max(r.compositor.peakBytes, r.reference.peakBytes)));
  console.log(`\nworst wall ratio ${worst.toFixed(2)}x (goal <= 1.10x); peak ffmpeg memory ${(peak / 2 ** 20).toFixed(0)} MiB (goal <= 1024 MiB)`);
}

/** POSTs the signed spec, polls until the job ends, returns the output duration. */
async function renderThroughCompositor(baseUrl: string, spec: ComposeSpecInput): Promise<number> {
  const raw = JSON.stringify({ ...spec, reference: `bench-${Date.now()}-${Math.random()}` });
  const res = await fetch(`${baseUrl}/compose`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signBody(SECRET, raw) } });
  if (res.status !== 202) throw new Error(`compose answered ${res.status}: ${await res.text()}`);
  const { statusUrl } = (await res.json()) as { statusUrl: string };
  for (;;) {
    const view = (await (await fetch(statusUrl)).json()) as ComposeJobView;
    if (view.status === 'completed') return view.output?.durationSec ?? 0;
    if (view.status !== 'queued' && view.status !== 'processing') throw new Error(`compositor job ${view.status}: ${JSON.stringify(view.error)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Median wall and CPU, worst peak memory. */
function median(runs: Measurement[]): Measurement {
  const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    wallMs: mid(runs.map((r) => r.wallMs)),
    cpuMs: mid(runs.map((r) => r.cpuMs)),
    childCpuMs: mid(runs.map((r) => r.childCpuMs)),
    peakBytes: Math.max(...runs.map((r) => r.peakBytes)),
  };
}

type Assets = { captions: string; overlay: string; watermark: string; fontsDir: string };

/** Assets the reference needs: the same captions file and images the compositor makes. */
async function referenceAssets(aspect: Aspect): Promise<Assets> {
  const size = FRAME_SIZES[aspect];
  const spec = composeSpecSchema.parse(commercialSpec(aspect, (n) => `http://x/${n}`));
  const dir = join(OUT, `reference-assets-${aspect.replace(':', 'x')}`);
  await mkdir(dir, { recursive: true });
  const fontsDir = join(ROOT, 'fixtures', 'fonts');
  const captions = join(dir, 'captions.ass');
  await writeFile(captions, buildAss({ cues: spec.captions?.cues ?? [], style: 'bold', size }));
  const overlay = join(dir, 'overlay.png');
  await writeFile(overlay, await renderTextImage({ text: spec.textOverlays[0].text, size, fontsDir, scale: 0.06, boxed: true }));
  const watermark = join(dir, 'watermark.png');
  await writeFile(watermark, await renderTextImage({ text: 'NearIQ', size, fontsDir, scale: 0.045, boxed: false, opacity: 0.6 }));
  return { captions, overlay, watermark, fontsDir };
}

function referenceInputsFor(aspect: Aspect, sources: Awaited<ReturnType<typeof ensureSources>>, output: string, assets: Assets): ReferenceInputs {
  const size = FRAME_SIZES[aspect];
  const [a, b, c] = sources.clips;
  return { clips: [a, b, c], voice: sources.voice, music: sources.music, ...assets, width: size.width, height: size.height, output };
}

function report(row: { aspect: Aspect; compositor: Measurement; reference: Measurement; durations: [number, number] }) {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`\n${row.aspect} standard commercial (${FRAME_SIZES[row.aspect].width}x${FRAME_SIZES[row.aspect].height}, 15 s)`);
  console.log(`  compositor: wall ${s(row.compositor.wallMs)}  cpu ${s(row.compositor.cpuMs)} (ffmpeg+ffprobe ${s(row.compositor.childCpuMs)})  peak ${mib(row.compositor.peakBytes)}  duration ${row.durations[0]} s`);
  console.log(`  reference:  wall ${s(row.reference.wallMs)}  cpu ${s(row.reference.cpuMs)} (ffmpeg ${s(row.reference.childCpuMs)})  peak ${mib(row.reference.peakBytes)}  duration ${row.durations[1].toFixed(3)} s`);
  console.log(
    `  ratios:     wall ${(row.compositor.wallMs / row.reference.wallMs).toFixed(2)}x  cpu ${(row.compositor.cpuMs / row.reference.cpuMs).toFixed(2)}x  peak ${(row.compositor.peakBytes / Math.max(1, row.reference.peakBytes)).toFixed(2)}x`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
