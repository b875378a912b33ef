import { expect } from 'chai';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commercialSpec, ensureSources, SLOT_SEC } from '../../bench/standard-commercial.js';
import { runProcess } from '../src/ffmpeg/process-runner.js';
import { startFixtureServer } from './helpers/fixture-server.js';
import { renderViaApi, startHarness, type Harness } from './helpers/compositor-harness.js';
import { pixelAt, testFfmpeg } from './helpers/media.js';

/** One full-size render of the standard commercial: 3 clips, fades, captions, voice + music, overlay, watermark. */
describe('golden render: 15 s standard commercial at 1920x1080', function () {
  this.timeout(600_000);
  let fixtures: Awaited<ReturnType<typeof startFixtureServer>>;
  let h: Harness;

  before(async () => {
    const ff = await testFfmpeg();
    const sources = await ensureSources(ff.binaries.ffmpeg, join(tmpdir(), 'neariq-golden-sources'));
    fixtures = await startFixtureServer(sources.dir);
    h = await startHarness({ allowedOrigins: [fixtures.origin] });
  });
  after(async () => {
    await h?.stop();
    await fixtures?.close();
  });

  it('renders, verifies and serves the commercial within tolerance', async () => {
    const spec = commercialSpec('16:9', (name) => (name === 'upbeat.m4a' ? fixtures.url('music/upbeat.m4a') : fixtures.url(`extra/${name}`)));
    const seen: number[] = [];
    const view = await renderViaApi(h, spec, 540_000, (v) => v.status === 'processing' && seen.push(v.progress));
    // Progress comes from ffmpeg's -progress output while it renders.
    expect(seen.some((p) => p > 0.05 && p < 0.99)).to.equal(true);
    expect(seen).to.deep.equal([...seen].sort((a, b) => a - b));
    expect(view.status, JSON.stringify(view.error)).to.equal('completed');
    expect(view.output).to.include({ width: 1920, height: 1080 });
    expect(view.output?.durationSec).to.be.closeTo(SLOT_SEC, 0.1);

    const file = join(h.config.compositesDir, (view.output?.url as string).split('/').pop() as string);
    const ff = await testFfmpeg();
    const info = await ff.probe(file);
    expect(info.durationSec).to.be.closeTo(SLOT_SEC, 0.1);
    expect(info.video).to.include({ codec: 'h264', width: 1920, height: 1080, fps: 30, pixFmt: 'yuv420p' });
    expect(info.video?.durationSec).to.be.closeTo(SLOT_SEC, 0.05);
    expect(info.audio).to.include({ codec: 'aac', sampleRate: 48000, channels: 2 });

    // +faststart: the moov atom comes before the media data.
    const handle = await open(file, 'r');
    const { buffer } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    await handle.close();
    expect(buffer.toString('latin1').indexOf('moov')).to.be.greaterThan(-1);

    // Bold captions: the yellow caption text is burnt in at the bottom centre while the first cue is on.
    let yellow = 0;
    for (let x = 700; x < 1220; x += 20) {
      const [r, g, b] = await pixelAt(file, 2, x, 1080 - 86 - 40);
      if (r > 200 && g > 180 && b < 90) yellow++;
    }
    expect(yellow).to.be.greaterThan(0);

    // Last frames fade to black (the sources were longer than the slot).
    const [r, g, b] = await pixelAt(file, 14.94, 960, 540);
    expect(r + g + b).to.be.below(60);

    // Loudness at the documented target (-16 LUFS) within 2 LU.
    const loud = await runProcess({ command: ff.binaries.ffmpeg, args: ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128', '-f', 'null', '-'] });
    const integrated = Number(/I:\s+(-?[\d.]+) LUFS/.exec(loud.stderrTail.split('Summary:').pop() ?? '')?.[1]);
    expect(integrated).to.be.within(-18, -14);
  });
});
