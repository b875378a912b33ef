import { expect } from 'chai';
import { chmod, mkdtemp, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComposeJobView, ComposeSpecInput } from '../../shared/src/compose-spec.js';
import type { MediaInfo } from '../src/ffmpeg/probe.js';
import { startFixtureServer } from './helpers/fixture-server.js';
import { renderViaApi, startHarness, type Harness } from './helpers/compositor-harness.js';
import { pixelAt, regionDiff, testFfmpeg } from './helpers/media.js';

/** Real renders at 320x180 (180x320 for 9:16), each checked with ffprobe and sampled pixels. */
describe('compositor renders (small, real ffmpeg)', function () {
  this.timeout(180_000);
  let fixtures: Awaited<ReturnType<typeof startFixtureServer>>;
  let h: Harness;
  const W = 320;
  const H = 180;
  const out = { aspect: '16:9' as const, width: W, height: H };
  const red = () => ({ url: fixtures.url('media/red-4x3.mp4') });
  const blue = () => ({ url: fixtures.url('media/blue-portrait.mp4') });
  const green = () => ({ url: fixtures.url('media/green-silent.mp4') });

  before(async () => {
    fixtures = await startFixtureServer();
    h = await startHarness({ allowedOrigins: [fixtures.origin] });
  });
  after(async () => {
    await h.stop();
    await fixtures.close();
  });

  async function render(spec: ComposeSpecInput): Promise<{ view: ComposeJobView; file: string; info: MediaInfo }> {
    const view = await renderViaApi(h, spec);
    expect(view.status, JSON.stringify(view.error)).to.equal('completed');
    const file = join(h.config.compositesDir, (view.output?.url as string).split('/').pop() as string);
    return { view, file, info: await (await testFfmpeg()).probe(file) };
  }

  function expectStreams(info: MediaInfo, durationSec: number, width = W, height = H) {
    expect(info.durationSec).to.be.closeTo(durationSec, 0.1);
    expect(info.video).to.include({ codec: 'h264', width, height, fps: 30, pixFmt: 'yuv420p' });
    expect(info.audio).to.include({ codec: 'aac', sampleRate: 48000, channels: 2 });
  }

  const isRed = ([r, g, b]: number[]) => r > 200 && g < 60 && b < 60;
  const isBlue = ([r, g, b]: number[]) => b > 200 && r < 60 && g < 60;
  const isGreen = ([r, g, b]: number[]) => g > 90 && r < 60 && b < 60;

  it('hard-cuts three differently shaped clips (4:3, portrait 25 fps mono, silent) into the output frame', async () => {
    const { info, file, view } = await render({ output: { ...out, durationSec: 9 }, segments: [red(), blue(), green()] });
    expectStreams(info, 9);
    expect(view.output?.sizeBytes).to.be.greaterThan(1000);
    expect(isRed(await pixelAt(file, 1.5, 5, 5))).to.equal(true);
    expect(isBlue(await pixelAt(file, 4.5, W - 5, H - 5))).to.equal(true);
    expect(isGreen(await pixelAt(file, 7.5, W / 2, H / 2))).to.equal(true);
  });

  it('crossfades picture and sound: the mid-fade frame is a blend of both clips', async () => {
    const { info, file } = await render({ output: { ...out, durationSec: 5 }, segments: [red(), blue()], transition: { type: 'fade', durationSec: 1 } });
    expectStreams(info, 5);
    expect(isRed(await pixelAt(file, 1, 10, 10))).to.equal(true);
    // Fade runs 2.0–3.0 s; at 2.5 s both colours are present.
    const [r, , b] = await pixelAt(file, 2.5, 10, 10);
    expect(r).to.be.within(70, 190);
    expect(b).to.be.within(70, 190);
    expect(isBlue(await pixelAt(file, 4, 10, 10))).to.equal(true);
  });

  it('trims segments (startSec/endSec)', async () => {
    const { info, file } = await render({ output: { ...out, durationSec: 2 }, segments: [{ ...red(), startSec: 2, endSec: 3 }, { ...blue(), endSec: 1 }] });
    expectStreams(info, 2);
    expect(isRed(await pixelAt(file, 0.5, 10, 10))).to.equal(true);
    expect(isBlue(await pixelAt(file, 1.5, 10, 10))).to.equal(true);
  });

  it('extends a short timeline to the slot by holding the last frame', async () => {
    const { info, file } = await render({ output: { ...out, durationSec: 5 }, segments: [red()] });
    expectStreams(info, 5);
    expect(isRed(await pixelAt(file, 4.5, 10, 10))).to.equal(true);
  });

  it('cuts a long timeline to the slot with a short fade-out', async () => {
    const { info, file } = await render({ output: { ...out, durationSec: 5 }, segments: [red(), blue(), green()] });
    expectStreams(info, 5);
    expect(isBlue(await pixelAt(file, 4.2, 10, 10))).to.equal(true);
    const [r, g, b] = await pixelAt(file, 4.95, 10, 10);
    expect(r + g + b).to.be.below(60);
  });

  it('renders 9:16 by cover-cropping a landscape source', async () => {
    const { info, file } = await render({ output: { aspect: '9:16', width: 180, height: 320, durationSec: 2 }, segments: [{ url: fixtures.url('media/testsrc.mp4') }] });
    expectStreams(info, 2, 180, 320);
    expect(await pixelAt(file, 1, 0, 0)).to.not.deep.equal([0, 0, 0]);
  });

  describe('captions, overlays and watermark', () => {
    let plain: string;
    before(async () => {
      plain = (await render({ output: { ...out, durationSec: 3 }, segments: [{ ...green(), endSec: 3 }] })).file;
    });
    const band = { x: 40, y: 120, w: 240, h: 50 };
    const corner = { x: W - 70, y: H - 40, w: 60, h: 30 };

    for (const style of ['clean', 'bold'] as const) {
      it(`burns ${style} captions into the caption band, only while the cue is on`, async () => {
        const { file, info } = await render({
          output: { ...out, durationSec: 3 },
          segments: [{ ...green(), endSec: 3 }],
          captions: { style, cues: [{ startSec: 0.5, endSec: 2, text: 'Fresh coffee daily' }] },
        });
        expectStreams(info, 3);
        expect(await regionDiff(file, plain, 1.2, band)).to.be.above(2);
        expect(await regionDiff(file, plain, 2.6, band)).to.be.below(1);
      });
    }

    it('draws a text watermark in its corner and leaves the rest alone', async () => {
      const { file } = await render({ output: { ...out, durationSec: 3 }, segments: [{ ...green(), endSec: 3 }], watermark: { text: 'NearIQ', position: 'bottom-right', opacity: 0.8 } });
      expect(await regionDiff(file, plain, 1, corner)).to.be.above(5);
      expect(await regionDiff(file, plain, 1, { x: 10, y: 10, w: 60, h: 30 })).to.be.below(2);
    });

    it('draws an image watermark at its position and opacity', async () => {
      const { file } = await render({ output: { ...out, durationSec: 3 }, segments: [{ ...green(), endSec: 3 }], watermark: { imageUrl: fixtures.url('media/logo.png'), position: 'top-left', opacity: 0.5 } });
      const [r, g] = await pixelAt(file, 1, 20, 15);
      // Yellow at 50 % over green: red rises to about half.
      expect(r).to.be.within(90, 170);
      expect(g).to.be.above(120);
    });

    it('shows a text overlay at its position between its start and end', async () => {
      const { file } = await render({ output: { ...out, durationSec: 3 }, segments: [{ ...green(), endSec: 3 }], textOverlays: [{ text: 'SALE', startSec: 1, endSec: 2, position: 'top' }] });
      const top = { x: 110, y: 8, w: 100, h: 20 };
      expect(await regionDiff(file, plain, 0.5, top)).to.be.below(2);
      expect(await regionDiff(file, plain, 1.5, top)).to.be.above(5);
      expect(await regionDiff(file, plain, 2.5, top)).to.be.below(2);
    });

    it("renders hostile text literally in captions, overlays and watermark: ' : , ; [ ] \\ % { } = newlines, unicode, emoji", async () => {
      const text = "it's 50% off: [now]; a=b, {\\b1} \\N %{pts}\nline two – é ü 😀";
      const { file, info } = await render({
        output: { ...out, durationSec: 3 },
        segments: [{ ...green(), endSec: 3 }],
        captions: { style: 'bold', cues: [{ startSec: 0, endSec: 3, text }] },
        textOverlays: [{ text, startSec: 0, endSec: 3, position: 'top' }],
        watermark: { text, position: 'top-left' },
      });
      expectStreams(info, 3);
      expect(await regionDiff(file, plain, 1, band)).to.be.above(5);
    });
  });

  it('mixes voice and music over native sound at the loudness target', async () => {
    const { file, info } = await render({
      output: { ...out, durationSec: 4 },
      segments: [{ ...green(), endSec: 3 }],
      audio: { nativeVolume: 1, voice: { url: fixtures.url('media/voice.wav'), volume: 1, startSec: 0.5 }, music: { url: fixtures.url('music/calm.m4a'), volume: 0.6, startSec: 0 } },
    });
    expectStreams(info, 4);
    const ff = await testFfmpeg();
    const { runProcess } = await import('../src/ffmpeg/process-runner.js');
    const r = await runProcess({ command: ff.binaries.ffmpeg, args: ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128', '-f', 'null', '-'] });
    const integrated = Number(/I:\s+(-?[\d.]+) LUFS/.exec(r.stderrTail.split('Summary:').pop() ?? '')?.[1]);
    expect(integrated).to.be.within(-20, -12);
  });

  it('ducks the music under the voice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duck-'));
    const ff = await testFfmpeg();
    const { runProcess } = await import('../src/ffmpeg/process-runner.js');
    const gen = (source: string, file: string) => runProcess({ command: ff.binaries.ffmpeg, args: ['-v', 'error', '-f', 'lavfi', '-i', source, '-c:a', 'pcm_s16le', join(dir, file)] });
    await gen('sine=f=1000:r=48000:d=4', 'music.wav');
    await gen('sine=f=300:r=48000:d=1,volume=4', 'voice.wav');
    const extra = await startFixtureServer(dir);
    const other = await startHarness({ allowedOrigins: [fixtures.origin, extra.origin] });
    try {
      const view = await renderViaApi(other, {
        output: { ...out, durationSec: 4 },
        segments: [{ ...green(), endSec: 3 }],
        audio: { voice: { url: extra.url('extra/voice.wav'), volume: 1, startSec: 0.5 }, music: { url: extra.url('extra/music.wav'), volume: 0.5, startSec: 0 } },
      });
      expect(view.status).to.equal('completed');
      const file = join(other.config.compositesDir, (view.output?.url as string).split('/').pop() as string);
      // Level of the music's 1 kHz tone while the voice speaks (0.5–1.5 s) and after it stopped.
      const musicLevel = async (from: number) => {
        const r = await runProcess({ command: ff.binaries.ffmpeg, args: ['-hide_banner', '-nostats', '-ss', String(from), '-t', '0.4', '-i', file, '-af', 'bandpass=f=1000:width_type=q:w=8,volumedetect', '-f', 'null', '-'] });
        return Number(/mean_volume:\s+(-?[\d.]+) dB/.exec(r.stderrTail)?.[1]);
      };
      const during = await musicLevel(0.9);
      const after = await musicLevel(2.5);
      expect(after - during).to.be.above(6);
    } finally {
      await other.stop();
      await extra.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loops a music bed shorter than the slot', async () => {
    const { file, info } = await render({
      output: { ...out, durationSec: 8 },
      segments: [{ ...green(), endSec: 3 }],
      audio: { music: { url: fixtures.url('media/voice.wav'), volume: 1, startSec: 0 } },
    });
    expectStreams(info, 8);
    const ff = await testFfmpeg();
    const { runProcess } = await import('../src/ffmpeg/process-runner.js');
    // The 3 s "bed" plays again at 6–7 s (before the final music fade).
    const r = await runProcess({ command: ff.binaries.ffmpeg, args: ['-hide_banner', '-nostats', '-ss', '6', '-t', '0.8', '-i', file, '-af', 'volumedetect', '-f', 'null', '-'] });
    const mean = Number(/mean_volume:\s+(-?[\d.]+) dB/.exec(r.stderrTail)?.[1]);
    expect(mean).to.be.above(-40);
  });

  it('fails a render that does not pass ffprobe verification, with the reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-probe-'));
    const realProbe = (await testFfmpeg()).binaries.ffprobe;
    const script = join(dir, 'ffprobe');
    // Reports the finished output as 1 s long; sources are probed for real.
    await writeFile(script, `#!/bin/sh\ncase "$*" in *output.mp4*) exec "${realProbe}" "$@" | sed 's/"duration": "[0-9.]*"/"duration": "1.000000"/g';; *) exec "${realProbe}" "$@";; esac\n`);
    await chmod(script, 0o755);
    const other = await startHarness({ allowedOrigins: [fixtures.origin], env: { FFPROBE_PATH: script } });
    try {
      const view = await renderViaApi(other, { output: { ...out, durationSec: 2 }, segments: [red()] });
      expect(view.status).to.equal('failed');
      expect(view.error?.code).to.equal('verification_failed');
      expect(view.error?.message).to.match(/duration is 1\.000 s, expected 2 s ± 0\.1 s/);
      expect(await readdir(other.config.compositesDir)).to.deep.equal([]);
    } finally {
      await other.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
