import { composeSpecSchema, firstIssue, type ComposeSpec } from '../../../shared/src/compose-spec.js';
import { AppError } from '../../../shared/src/errors.js';
import { isAllowedUrl } from '../storage/source-fetcher.js';

/** Every URL in a spec with the field that names it, for messages that point at the input. */
export function specUrls(spec: ComposeSpec): { field: string; url: string }[] {
  const urls = spec.segments.map((s, i) => ({ field: `segments.${i}.url`, url: s.url }));
  if (spec.audio.voice) urls.push({ field: 'audio.voice.url', url: spec.audio.voice.url });
  if (spec.audio.music) urls.push({ field: 'audio.music.url', url: spec.audio.music.url });
  if (spec.watermark?.imageUrl) urls.push({ field: 'watermark.imageUrl', url: spec.watermark.imageUrl });
  return urls;
}

/** Schema plus what only the compositor knows: allowed origins and encodable frame sizes. Throws a 400 naming the field. */
export function parseComposeSpec(body: unknown, allowedOrigins: string[]): ComposeSpec {
  const parsed = composeSpecSchema.safeParse(body);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw new AppError('validation_failed', message, { field });
  }
  const spec = parsed.data;
  const { width, height } = spec.output;
  if ((width === undefined) !== (height === undefined)) {
    throw new AppError('validation_failed', 'output.width and output.height must be given together.', { field: width === undefined ? 'output.width' : 'output.height' });
  }
  for (const [field, value] of [['output.width', width], ['output.height', height]] as const) {
    if (value !== undefined && value % 2 !== 0) throw new AppError('validation_failed', `${field} must be an even number of pixels (H.264 with yuv420p).`, { field });
  }
  for (const { field, url } of specUrls(spec)) {
    if (!isAllowedUrl(url, allowedOrigins)) {
      throw new AppError('validation_failed', `${field} must point at an allowed source origin (${allowedOrigins.join(', ')}).`, { field });
    }
  }
  return spec;
}
