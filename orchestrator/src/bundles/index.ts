export type { AudioConfig, CaptionCue, CompositingGuidance, Shot, SourceBundle, StoredCaptions } from './bundle-types.js';
export { AUDIO_DEFAULTS, AUDIO_RANGES, resolveAudioConfig } from './audio-config.js';
export { buildSourceBundle, bundleFor, DEFAULT_STYLE } from './build-bundle.js';
export { ensureNarration, narrationDir, narrationHash, NARRATION_FILE } from './narration-cache.js';
