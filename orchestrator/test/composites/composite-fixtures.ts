import { fileURLToPath } from 'node:url';
import type { SourceBundle } from '../../src/bundles/bundle-types.js';
import { newId } from '../../src/db/ids.js';
import type { AspectRatio, Duration } from '../../src/videos/video-repository.js';
import { request, type Tenant, type TestServer } from '../helpers/harness.js';
import { freePort } from '../../../scripts/free-port.js';

export const FIXTURE_CLIP = fileURLToPath(new URL('../../../fixtures/media/testsrc.mp4', import.meta.url));
export const COMPOSITE = '/api/businesses/me/video/composite';
export const CLIPS = '/api/businesses/me/video/composite-clips';

export function sampleBundle(duration: Duration = 15, aspectRatio: AspectRatio = '16:9'): SourceBundle {
  return {
    style: 'promo',
    script: 'Fresh bread every morning. Come taste the difference at Corner Bakery today.',
    scriptProvided: true,
    audioConfig: { speechPace: 1, pitch: 1, voiceVolume: 1, musicVolume: 0.25, nativeVolume: 0.5, voiceStartSec: 0.5, musicStartSec: 0 },
    shots: [{ index: 0, startSec: 0, endSec: duration, description: 'bakery' }],
    compositing: {
      transitions: { type: 'cut', durationSec: 0.5 },
      textOverlays: [{ text: 'Corner Bakery', startSec: 0.5, endSec: 3, position: 'top' }],
      musicMood: 'calm',
      captionStyle: 'bold',
      safeAreas: { top: 0.1, bottom: 0.1, left: 0.05, right: 0.05 },
    },
    duration,
    aspectRatio,
  };
}

/** A generated video row of the tenant, straight into the database (no render). */
export async function seedVideo(
  server: TestServer,
  tenant: Tenant,
  input: { duration?: Duration; aspectRatio?: AspectRatio; status?: 'completed' | 'processing' | 'failed'; bundle?: SourceBundle | null } = {},
): Promise<string> {
  const { videos } = server.handle.ctx;
  const duration = input.duration ?? 15;
  const aspectRatio = input.aspectRatio ?? '16:9';
  const id = newId('vid');
  await videos.insert({
    id,
    businessId: tenant.businessId,
    userId: tenant.userId,
    prompt: 'Seeded video for composite tests',
    duration,
    aspectRatio,
    credits: 0,
    provider: 'local',
    sourceBundle: input.bundle === undefined ? (sampleBundle(duration, aspectRatio) as unknown as Record<string, unknown>) : (input.bundle as unknown as Record<string, unknown> | null),
  });
  const status = input.status ?? 'completed';
  if (status === 'completed') await videos.finish(id, { status: 'completed', outputPath: FIXTURE_CLIP, outputMeta: { durationSec: duration } });
  if (status === 'failed') await videos.finish(id, { status: 'failed', error: 'boom' });
  return id;
}

export async function creditsUsed(server: TestServer, tenant: Tenant): Promise<number> {
  const res = await request(server.url + '/api/v1/video?limit=1', { token: tenant.readKey });
  return res.body.creditsUsed as number;
}

/** A TCP port nobody listens on (for "compositor unreachable"). */
export const deadPort = freePort;
export { freePort };
