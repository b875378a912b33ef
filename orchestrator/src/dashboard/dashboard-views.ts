import { bundleFor } from '../bundles/build-bundle.js';
import type { StoredCaptions } from '../bundles/bundle-types.js';
import type { VideoRecord } from '../videos/video-repository.js';
import { videoView } from '../videos/video-views.js';

export const VIDEO_ROUTE = '/api/businesses/me/video';

/** One video with its source bundle, its saved captions and, once completed, where to download it. */
export function dashboardVideoView(video: VideoRecord) {
  const bundle = bundleFor(video);
  const captions = video.captions as Partial<StoredCaptions> | null;
  return {
    ...videoView(video),
    style: bundle.style,
    script: bundle.script,
    scriptProvided: bundle.scriptProvided,
    audioConfig: bundle.audioConfig,
    shots: bundle.shots,
    compositing: bundle.compositing,
    ...(captions && Array.isArray(captions.cues) ? { captions: { captionCues: captions.cues, captionStyle: captions.captionStyle, createdAt: captions.createdAt } } : {}),
    ...(video.status === 'completed' ? { downloadUrl: `${VIDEO_ROUTE}?videoId=${encodeURIComponent(video.id)}&download=1` } : {}),
  };
}
