import { expect } from 'chai';
import { composeSpecSchema, type ComposeSpecInput } from '../../shared/src/compose-spec.js';
import { buildFilterGraph, ffmpegArgs } from '../src/render/filter-graph.js';
import { escapeFilterValue, sec } from '../src/render/filter-escape.js';
import { computeTimeline } from '../src/render/timeline.js';

const NORM = 'aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo';

function build(input: ComposeSpecInput, options: { silent?: number[]; durations?: number[]; xfade?: boolean } = {}) {
  const spec = composeSpecSchema.parse(input);
  const timeline = computeTimeline(
    spec,
    spec.segments.map((_, i) => ({ durationSec: options.durations?.[i] ?? 4, hasAudio: !options.silent?.includes(i) })),
  );
  const job = buildFilterGraph({
    spec,
    timeline,
    assets: {
      segments: timeline.clips.map((c) => `/w/s${c.index}`),
      voice: spec.audio.voice ? '/w/voice' : undefined,
      music: spec.audio.music ? '/w/music' : undefined,
      captions: spec.captions ? '/w/captions.ass' : undefined,
      overlays: spec.textOverlays.map((_, i) => `/w/o${i}.png`),
      watermark: spec.watermark ? '/w/wm.png' : undefined,
    },
    fontsDir: '/f',
    outputPath: '/w/out.mp4',
    useXfade: options.xfade ?? false,
  });
  return { job, filters: job.filterGraph.split(';') };
}

const small = { aspect: '16:9' as const, durationSec: 4, width: 320, height: 180 };

describe('filter graph builder', () => {
  it('normalizes one trimmed clip: cover-crop, fps, square pixels, yuv420p, 48 kHz stereo, exact length', () => {
    const { job } = build({ output: { ...small, durationSec: 3 }, segments: [{ url: 'http://o/a', startSec: 0.5 }] });
    expect(job.inputs).to.deep.equal([['-threads', '1', '-ss', '0.5', '-t', '3.25', '-i', '/w/s0']]);
    expect(job.filterGraph).to.equal(
      [
        '[0:v]setpts=PTS-STARTPTS,fps=30,scale=320:180:force_original_aspect_ratio=increase,crop=320:180,setsar=1,format=yuv420p,tpad=stop_mode=clone:stop=30,trim=end_frame=90[v0]',
        `[0:a]asetpts=PTS-STARTPTS,${NORM},apad,atrim=end_sample=144000[a0]`,
        '[v0][a0]concat=n=1:v=1:a=1[vcat][acat]',
        // 3.5 s of source for a 3 s slot: cut at the slot with a short fade-out of picture and sound.
        '[vcat]fade=t=out:s=75:n=15,trim=end_frame=90,format=yuv420p[vout]',
        '[acat]apad,atrim=end_sample=144000[anat]',
        `[anat]loudnorm=I=-16:TP=-1.5:LRA=11,${NORM},apad,atrim=end_sample=144000,afade=t=out:st=2.5:d=0.5[aout]`,
      ].join(';'),
    );
    expect(job.expectedDurationSec).to.equal(3);
  });

  it('uses the full frame of each aspect unless the spec overrides it', () => {
    expect(build({ output: { aspect: '9:16', durationSec: 4 }, segments: [{ url: 'http://o/a' }] }).filters[0]).to.contain('scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920');
    expect(build({ output: { aspect: '1:1', durationSec: 4 }, segments: [{ url: 'http://o/a' }] }).filters[0]).to.contain('scale=1080:1080:force_original_aspect_ratio=increase,crop=1080:1080');
    expect(build({ output: { aspect: '16:9', durationSec: 4, fps: 25 }, segments: [{ url: 'http://o/a' }] }).filters[0]).to.contain('fps=25,scale=1920:1080');
  });

  it('joins hard cuts with one concat and gives a silent clip a silent track', () => {
    const { filters } = build({ output: { ...small, durationSec: 12 }, segments: [{ url: 'http://o/a' }, { url: 'http://o/b' }, { url: 'http://o/c' }] }, { silent: [1] });
    expect(filters).to.include('anullsrc=channel_layout=stereo:sample_rate=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,atrim=end_sample=192000[a1]');
    expect(filters).to.include('[v0][a0][v1][a1][v2][a2]concat=n=3:v=1:a=1[vcat][acat]');
    expect(filters.filter((f) => f.includes('split'))).to.deep.equal([]);
  });

  it('crossfades with an alpha fade overlaid on the tail when xfade is missing (ffmpeg 4.1)', () => {
    const { filters } = build({ output: { ...small, durationSec: 7.5 }, segments: [{ url: 'http://o/a' }, { url: 'http://o/b' }], transition: { type: 'fade', durationSec: 0.5 } });
    expect(filters.slice(2, 8)).to.deep.equal([
      '[v0]split=2[v0bs][v0ts]',
      '[v0bs]trim=start_frame=0:end_frame=105,setpts=PTS-STARTPTS[v0b]',
      '[v0ts]trim=start_frame=105,setpts=PTS-STARTPTS[v0t]',
      '[a0]asplit=2[a0bs][a0ts]',
      '[a0bs]atrim=start_sample=0:end_sample=168000,asetpts=PTS-STARTPTS[a0b]',
      '[a0ts]atrim=start_sample=168000,asetpts=PTS-STARTPTS[a0t]',
    ]);
    expect(filters.slice(10)).to.deep.equal([
      '[v1]split=2[v1hs][v1bs]',
      '[v1hs]trim=end_frame=15,setpts=PTS-STARTPTS[v1h]',
      '[v1bs]trim=start_frame=15:end_frame=120,setpts=PTS-STARTPTS[v1b]',
      '[a1]asplit=2[a1hs][a1bs]',
      '[a1hs]atrim=end_sample=24000,asetpts=PTS-STARTPTS[a1h]',
      '[a1bs]atrim=start_sample=24000:end_sample=192000,asetpts=PTS-STARTPTS[a1b]',
      '[v1h]format=yuva420p,fade=t=in:s=0:n=15:alpha=1[v1ha]',
      '[v0t][v1ha]overlay=format=yuv420:eof_action=pass[xv1]',
      // Not acrossfade: it segfaults in 4.1 when its second input is exactly the fade length.
      '[a0t]afade=t=out:ss=0:ns=24000[a0tf]',
      '[a1h]afade=t=in:ss=0:ns=24000[a1hf]',
      `[a0tf][a1hf]amix=inputs=2:duration=longest:dropout_transition=0,volume=2,${NORM.replace('aresample=48000,', '')}[xa1]`,
      '[v0b][a0b][xv1][xa1][v1b][a1b]concat=n=3:v=1:a=1[vcat][acat]',
      '[vcat]trim=end_frame=225,format=yuv420p[vout]',
      '[acat]apad,atrim=end_sample=360000[anat]',
      `[anat]loudnorm=I=-16:TP=-1.5:LRA=11,${NORM},apad,atrim=end_sample=360000[aout]`,
    ]);
  });

  it('uses xfade for the picture where the ffmpeg build has it', () => {
    const { filters } = build({ output: { ...small, durationSec: 7.5 }, segments: [{ url: 'http://o/a' }, { url: 'http://o/b' }], transition: { type: 'fade', durationSec: 0.5 } }, { xfade: true });
    expect(filters).to.include('[v0t][v1h]xfade=transition=fade:duration=0.5:offset=0[xv1]');
    expect(filters.some((f) => f.includes('alpha=1'))).to.equal(false);
  });

  it('gives a middle clip a head, a body and a tail', () => {
    const { filters } = build({ output: { ...small, durationSec: 11 }, segments: [{ url: 'http://o/a' }, { url: 'http://o/b' }, { url: 'http://o/c' }], transition: { type: 'fade', durationSec: 0.5 } });
    expect(filters).to.include('[v1]split=3[v1hs][v1bs][v1ts]');
    expect(filters).to.include('[v1bs]trim=start_frame=15:end_frame=105,setpts=PTS-STARTPTS[v1b]');
    expect(filters).to.include('[v0b][a0b][xv1][xa1][v1b][a1b][xv2][xa2][v2b][a2b]concat=n=5:v=1:a=1[vcat][acat]');
  });

  it('holds the last frame and pads the sound when the clips are shorter than the slot', () => {
    const { filters } = build({ output: { ...small, durationSec: 5 }, segments: [{ url: 'http://o/a' }] }, { durations: [3] });
    expect(filters).to.include('[vcat]fps=30,tpad=stop_mode=clone:stop=60[vfin0]');
    expect(filters).to.include('[vfin0]trim=end_frame=150,format=yuv420p[vout]');
    expect(filters).to.include('[acat]apad,atrim=end_sample=240000[anat]');
  });

  it('burns captions from an ASS file with the shipped fonts, then overlays, then the watermark', () => {
    const { job, filters } = build({
      output: { aspect: '9:16', durationSec: 4 },
      segments: [{ url: 'http://o/a' }],
      captions: { cues: [{ startSec: 0, endSec: 1, text: 'x' }], style: 'bold' },
      textOverlays: [
        { text: 'x', startSec: 0.5, endSec: 2, position: 'top' },
        { text: 'y', startSec: 2, endSec: 3.25, position: 'bottom-left' },
      ],
      watermark: { text: 'w', position: 'bottom-right' },
    });
    expect(job.inputs.slice(1)).to.deep.equal([
      ['-i', '/w/o0.png'],
      ['-i', '/w/o1.png'],
      ['-i', '/w/wm.png'],
    ]);
    expect(filters.slice(3, 8)).to.deep.equal([
      '[vcat]ass=filename=/w/captions.ass:fontsdir=/f[vfin0]',
      "[vfin0][1:v]overlay=x=(W-w)/2:y=154:enable='between(t,0.5,2)'[vov0]",
      "[vov0][2:v]overlay=x=65:y=H-h-154:enable='between(t,2,3.25)'[vov1]",
      '[vov1][3:v]overlay=x=W-w-65:y=H-h-154[vwm]',
      '[vwm]trim=end_frame=120,format=yuv420p[vout]',
    ]);
  });

  it('mixes native sound, voice and music, ducks the music under the voice and normalizes loudness', () => {
    const { job, filters } = build({
      output: { ...small, durationSec: 4 },
      segments: [{ url: 'http://o/a' }],
      audio: { nativeVolume: 0.5, voice: { url: 'http://o/v', volume: 1.2, startSec: 0.5 }, music: { url: 'http://o/m', volume: 0.3 } },
    });
    expect(job.inputs.slice(1)).to.deep.equal([
      ['-i', '/w/voice'],
      ['-stream_loop', '-1', '-i', '/w/music'],
    ]);
    expect(filters[1]).to.equal(`[0:a]asetpts=PTS-STARTPTS,${NORM},volume=0.5,apad,atrim=end_sample=192000[a0]`);
    expect(filters.slice(4)).to.deep.equal([
      '[acat]apad,atrim=end_sample=192000[anat]',
      `[1:a]${NORM},volume=1.2,adelay=500|500,apad[avoice]`,
      '[avoice]asplit=2[avmix][avsc]',
      `[2:a]${NORM},volume=0.3,afade=t=out:st=3:d=1,apad[amusic]`,
      '[amusic][avsc]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400[aduck]',
      '[anat][avmix][aduck]amix=inputs=3:duration=first:dropout_transition=0,volume=3[amixed]',
      `[amixed]loudnorm=I=-16:TP=-1.5:LRA=11,${NORM},apad,atrim=end_sample=192000[aout]`,
    ]);
  });

  it('mixes music alone without a compressor, starting at its offset', () => {
    const { filters } = build({ output: { ...small, durationSec: 4 }, segments: [{ url: 'http://o/a' }], audio: { music: { url: 'http://o/m', startSec: 1.25 } } });
    expect(filters).to.include(`[1:a]${NORM},adelay=1250|1250,afade=t=out:st=3:d=1,apad[amusic]`);
    expect(filters).to.include('[anat][amusic]amix=inputs=2:duration=first:dropout_transition=0,volume=2[amixed]');
    expect(filters.some((f) => f.includes('sidechaincompress'))).to.equal(false);
  });

  it('skips loudness normalization when nothing in the render has sound', () => {
    const { filters } = build({ output: { ...small, durationSec: 4 }, segments: [{ url: 'http://o/a' }] }, { silent: [0] });
    expect(filters.at(-1)).to.equal('[anat]apad,atrim=end_sample=192000[aout]');
  });

  it('encodes H.264 + AAC with faststart, every argument its own element', () => {
    const { job } = build({ output: small, segments: [{ url: 'http://o/a' }] });
    expect(job.outputArgs).to.deep.equal([
      '-map', '[vout]', '-map', '[aout]',
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '160k', '-ar', '48000', '-ac', '2',
      '-movflags', '+faststart', '-max_muxing_queue_size', '1024', '-y', '/w/out.mp4',
    ]);
    expect(ffmpegArgs(job).slice(0, 8)).to.deep.equal(['-threads', '1', '-t', '4.25', '-i', '/w/s0', '-filter_complex', job.filterGraph]);
  });

  it('escapes paths for both the option and the graph level', () => {
    expect(escapeFilterValue('/tmp/a:b/c')).to.equal('/tmp/a\\\\:b/c');
    expect(escapeFilterValue("/x/it's[1],;")).to.equal("/x/it\\\\\\'s\\[1\\]\\,\\;");
    expect(sec(1 / 3)).to.equal('0.333333');
    expect(sec(2)).to.equal('2');
  });
});
