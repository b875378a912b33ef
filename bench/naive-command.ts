import type { ReferenceInputs } from './reference-command.js';

/**
 * The "straightforward" single-pass graph, kept only to show why memory must
 * be bounded (`BENCH_NAIVE=1 npm run bench`). Every clip is normalized whole,
 * later clips are shifted in time (setpts) and alpha-faded over a base that
 * is extended with tpad, sound is placed with adelay and summed with amix,
 * images are looped inputs.
 *
 * Why it queues frames: ffmpeg reads an input whenever any of its streams is
 * asked for. amix asks for every clip's sound from t = 0 (adelay only
 * prepends silence after it has seen the first samples), so clips B and C are
 * demuxed and decoded from the start — and their decoded 1080p video frames
 * pile up in the links towards overlays that will only take them at 5.5 s
 * and 11 s (as yuva420p, ~4 MB each). The looped PNG inputs add frames the
 * same way. The compositor avoids all of it: inputs are limited with -ss/-t,
 * each clip is cut into head/body/tail pieces consumed in order by one
 * concat (picture and sound of a clip are needed at the same moment), and
 * images are single-frame inputs repeated by overlay.
 */
export function naiveArgs(i: ReferenceInputs): string[] {
  const { width: W, height: H } = i;
  const norm = `fps=30,scale=${W}:${H}:force_original_aspect_ratio=increase,crop=${W}:${H},setsar=1`;
  const anorm = 'aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,volume=0.4';
  const graph = [
    `[0:v]${norm},trim=0:6,setpts=PTS-STARTPTS,tpad=stop_mode=clone:stop=270,format=yuv420p[base]`,
    `[1:v]trim=1:7,setpts=PTS-STARTPTS,${norm},format=yuva420p,fade=in:0:15:alpha=1,setpts=PTS+5.5/TB[b]`,
    `[2:v]trim=0:4,setpts=PTS-STARTPTS,${norm},format=yuva420p,fade=in:0:15:alpha=1,setpts=PTS+11/TB[c]`,
    `[base][b]overlay=eof_action=pass[ab]`,
    `[ab][c]overlay=eof_action=pass[abc]`,
    `[abc]ass=${i.captions}:fontsdir=${i.fontsDir}[vsub]`,
    `[vsub][5:v]overlay=(W-w)/2:54:enable='between(t,1,4)':shortest=1[vov]`,
    `[vov][6:v]overlay=W-w-77:H-h-54:shortest=1,fade=out:435:15,trim=0:15,format=yuv420p[vout]`,
    `[0:a]atrim=0:6,asetpts=PTS-STARTPTS,${anorm},afade=out:st=5.5:d=0.5[a0]`,
    `[1:a]atrim=1:7,asetpts=PTS-STARTPTS,${anorm},afade=in:d=0.5,afade=out:st=5.5:d=0.5,adelay=5500|5500[a1]`,
    `[2:a]atrim=0:4,asetpts=PTS-STARTPTS,${anorm},afade=in:d=0.5,adelay=11000|11000[a2]`,
    `[3:a]aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,adelay=500|500,asplit=2[voice][voice_sc]`,
    `[4:a]aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,volume=0.5[music]`,
    `[music][voice_sc]sidechaincompress=threshold=0.02:ratio=8[ducked]`,
    `[a0][a1][a2][voice][ducked]amix=inputs=5:duration=longest,loudnorm=I=-16:TP=-1.5:LRA=11,aresample=48000,atrim=0:15[aout]`,
  ].join(';');
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
    '-i', i.clips[0], '-i', i.clips[1], '-i', i.clips[2],
    '-i', i.voice, '-i', i.music,
    '-loop', '1', '-i', i.overlay, '-loop', '1', '-i', i.watermark,
    '-filter_complex', graph,
    '-map', '[vout]', '-map', '[aout]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '160k', '-movflags', '+faststart', '-t', '15', '-y', i.output,
  ];
}
