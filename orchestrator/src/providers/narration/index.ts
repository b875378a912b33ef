export type { NarrationProvider, NarrationRequest } from './types.js';
export { MAX_NARRATION_CHARS } from './types.js';
export { createLocalNarration } from './local-narration.js';
export { createPremiumNarration, type PremiumNarrationOptions } from './premium-narration.js';
export { espeakRate, espeakPitch, buildEspeakArgs } from './espeak-args.js';
