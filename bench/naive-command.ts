import { referenceArgs, type ReferenceInputs } from './reference-command.js';

/**
 * The "straightforward" variant of the reference, kept to show why memory
 * must be bounded (`BENCH_NAIVE=1 npm run bench`): identical, except that
 * picture and sound are joined by two separate concats instead of one.
 *
 * Why that queues frames: ffmpeg reads an input whenever any of its streams
 * is asked for, and every decoded frame goes to its stream's buffer whether
 * or not anything downstream wants it yet. With separate concats the sound
 * side is pulled ahead of the picture (audio is cheap, and the muxer
 * interleaves by time), so the next clip's file is read early and its
 * decoded 1080p frames (3 MB each, 4 MB as yuva420p for the fades) wait in
 * the links towards a concat that will take them seconds later: about
 * 2.2 GiB at 9:16 against ~0.5 GiB for one concat. The same happens with any
 * consumer that takes one stream of an input at a different time than the
 * other: amix/adelay-placed clip sound, acrossfade pieces longer than their
 * picture piece, split branches used far apart, looped image inputs.
 *
 * The compositor keeps every input's streams in lockstep: inputs limited with
 * -ss/-t, each clip cut into head/body/tail pieces whose picture and sound
 * are exactly as long as each other, one concat (v=1:a=1) taking both at the
 * same moment, and images as single-frame inputs repeated by overlay.
 */
export function naiveArgs(i: ReferenceInputs): string[] {
  const args = referenceArgs(i);
  const g = args.indexOf('-filter_complex') + 1;
  args[g] = args[g].replace(
    '[va][aa][x1][ax1][vb][ab][x2][ax2][vc][ac]concat=n=5:v=1:a=1[vcat][native]',
    '[va][x1][vb][x2][vc]concat=n=5:v=1:a=0[vcat];[aa][ax1][ab][ax2][ac]concat=n=5:v=0:a=1[native]',
  );
  return args;
}
