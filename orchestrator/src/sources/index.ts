import type { OrchestratorContext } from '../orchestrator.js';
import { SourceUrls } from './source-urls.js';

export { SourceUrls, SOURCE_PREFIX, NARRATION_PREFIX, MUSIC_PREFIX } from './source-urls.js';

/** The signer/verifier of the short-lived source URLs the compositor fetches. */
export function sourceUrls(ctx: OrchestratorContext): SourceUrls {
  return new SourceUrls({ publicUrl: () => ctx.config.publicUrl, secret: ctx.config.secrets.compositorSecret, ttlSec: ctx.config.composite.sourceUrlTtlSec });
}
