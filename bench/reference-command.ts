/**
 * The hand-written reference: the standard commercial as one ffmpeg command,
 * written out by hand (not produced by the compositor's builder), so the
 * benchmark can compare the compositor against what an engineer would type.
 *
 * Timeline (30 fps, 15 s): A 0–6 s, B 1–7 s of its source, C 0–4 s; 0.5 s
 * crossfades at 5.5 s and 11.0 s; fade to black over the last 0.5 s.
 * Each clip is limited at the input (-ss/-t) and split into head/body/tail
 * pieces that are consumed one after the other by a single concat, so no
 * decoded frames wait in a queue. Sound crossfades are afade + amix:
 * acrossfade in ffmpeg 4.1 segfaults when its second input is exactly the
 * fade length.
 */
export interface ReferenceInputs {
  clips: [string, string, string];
  voice: string;
  music: string;
  captions: string;
  fontsDir: string;
  overlay: string;
  watermark: string;
  width: number;
  height: number;
  output: string;
}

export function referenceArgs(i: ReferenceInputs): string[] {
  const { width: W, height: H } = i;
  const norm = `fps=30,scale=${W}:${H}:force_original_aspect_ratio=increase,crop=${W}:${H},setsar=1,format=yuv420p`;
  // Audio starts at 0 and is padded to the clip length, so every piece matches its picture piece.
  const anorm = 'asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,volume=0.4';
  const mx = Math.round(W * (H > W ? 0.06 : 0.04));
  const my = Math.round(H * (H > W ? 0.08 : 0.05));
  const graph = [
    `[0:v]${norm},split=2[a_body][a_tail]`,
    `[a_body]trim=0:5.5,setpts=PTS-STARTPTS[va]`,
    `[a_tail]trim=5.5:6,setpts=PTS-STARTPTS[va_t]`,
    `[1:v]${norm},split=3[b_head][b_body][b_tail]`,
    `[b_head]trim=0:0.5,setpts=PTS-STARTPTS,format=yuva420p,fade=in:0:15:alpha=1[vb_h]`,
    `[b_body]trim=0.5:5.5,setpts=PTS-STARTPTS[vb]`,
    `[b_tail]trim=5.5:6,setpts=PTS-STARTPTS[vb_t]`,
    `[2:v]${norm},split=2[c_head][c_body]`,
    `[c_head]trim=0:0.5,setpts=PTS-STARTPTS,format=yuva420p,fade=in:0:15:alpha=1[vc_h]`,
    `[c_body]trim=0.5:4,setpts=PTS-STARTPTS[vc]`,
    `[va_t][vb_h]overlay[x1]`,
    `[vb_t][vc_h]overlay[x2]`,
    `[0:a]${anorm},apad,atrim=0:6,asplit=2[aa1][aa2]`,
    `[aa1]atrim=0:5.5,asetpts=PTS-STARTPTS[aa]`,
    `[aa2]atrim=5.5:6,asetpts=PTS-STARTPTS[aa_t]`,
    `[1:a]${anorm},apad,atrim=0:6,asplit=3[ab1][ab2][ab3]`,
    `[ab1]atrim=0:0.5,asetpts=PTS-STARTPTS[ab_h]`,
    `[ab2]atrim=0.5:5.5,asetpts=PTS-STARTPTS[ab]`,
    `[ab3]atrim=5.5:6,asetpts=PTS-STARTPTS[ab_t]`,
    `[2:a]${anorm},apad,atrim=0:4,asplit=2[ac1][ac2]`,
    `[ac1]atrim=0:0.5,asetpts=PTS-STARTPTS[ac_h]`,
    `[ac2]atrim=0.5:4,asetpts=PTS-STARTPTS[ac]`,
    `[aa_t]afade=out:d=0.5[aa_tf]`,
    `[ab_h]afade=in:d=0.5[ab_hf]`,
    `[aa_tf][ab_hf]amix=inputs=2,volume=2[ax1]`,
    `[ab_t]afade=out:d=0.5[ab_tf]`,
    `[ac_h]afade=in:d=0.5[ac_hf]`,
    `[ab_tf][ac_hf]amix=inputs=2,volume=2[ax2]`,
    `[va][aa][x1][ax1][vb][ab][x2][ax2][vc][ac]concat=n=5:v=1:a=1[vcat][native]`,
    `[vcat]ass=${i.captions}:fontsdir=${i.fontsDir}[vsub]`,
    `[vsub][5:v]overlay=(W-w)/2:${my}:enable='between(t,1,4)'[vov]`,
    `[vov][6:v]overlay=W-w-${mx}:H-h-${my},fade=out:435:15,format=yuv420p[vout]`,
    `[3:a]aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,adelay=500|500,apad,asplit=2[voice][voice_sc]`,
    `[4:a]aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,volume=0.5,afade=out:st=14:d=1,apad[music]`,
    `[music][voice_sc]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400[ducked]`,
    `[native][voice][ducked]amix=inputs=3:duration=first:dropout_transition=0,volume=3,loudnorm=I=-16:TP=-1.5:LRA=11,aresample=48000,afade=out:st=14.5:d=0.5[aout]`,
  ].join(';');
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
    '-t', '6.25', '-i', i.clips[0],
    '-ss', '1', '-t', '6.25', '-i', i.clips[1],
    '-t', '4.25', '-i', i.clips[2],
    '-i', i.voice,
    '-i', i.music,
    '-i', i.overlay,
    '-i', i.watermark,
    '-filter_complex', graph,
    '-map', '[vout]', '-map', '[aout]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '160k', '-ar', '48000', '-ac', '2',
    '-movflags', '+faststart', '-t', '15', '-y', i.output,
  ];
}
