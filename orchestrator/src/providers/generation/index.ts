import type { Logger } from '../../../../shared/src/logger.js';
import type { MediaTool } from '../../media/media-tool.js';
import { LocalProvider, type LocalProviderOptions } from './local-provider.js';
import { ReplicateProvider, type ReplicateOptions } from './replicate-provider.js';
import type { GenerationProvider } from './types.js';

export type { LocalProviderOptions } from './local-provider.js';
export type { ReplicateOptions } from './replicate-provider.js';
export type * from './types.js';
export { findDefaultFont } from './default-font.js';

export type ProviderConfig = { kind: 'local' | 'replicate' | 'none'; local: LocalProviderOptions; replicate: ReplicateOptions };

/**
 * null for 'none' (callers answer 503 on create). 'replicate' without token or
 * model throws AppError('not_configured') naming the variables to set.
 */
export function createGenerationProvider(cfg: ProviderConfig, deps: { media: MediaTool; logger: Logger }): GenerationProvider | null {
  switch (cfg.kind) {
    case 'none':
      return null;
    case 'local':
      return new LocalProvider(cfg.local, deps);
    case 'replicate':
      return new ReplicateProvider(cfg.replicate, { logger: deps.logger });
  }
}
