import { expect } from 'chai';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeReplicate, type FakeReplicate } from '../../../fixtures/fake-replicate/server.js';
import { AppError } from '../../../shared/src/errors.js';
import { createGenerationProvider, type ProviderConfig } from '../../src/providers/generation/index.js';
import { parseModelRef } from '../../src/providers/generation/model-ref.js';
import { DEFAULT_REPLICATE_OPTIONS, mapStatus, outputUrl, ReplicateProvider, type ReplicateOptions } from '../../src/providers/generation/replicate-provider.js';
import type { GenerationRequest } from '../../src/providers/generation/types.js';
import { silentLogger, tempDir, testMedia } from './helpers.js';

const media = testMedia();
const req: GenerationRequest = { videoId: 'vid_r1', prompt: 'A lighthouse in a storm', durationSec: 5, aspectRatio: '9:16' };

function provider(fake: FakeReplicate, over: Partial<ReplicateOptions> = {}): ReplicateProvider {
  return new ReplicateProvider({ ...DEFAULT_REPLICATE_OPTIONS, apiToken: 'r8_test', baseUrl: fake.url, model: 'acme/video-gen', ...over }, { logger: silentLogger });
}

async function pollUntilDone(p: ReplicateProvider, id: string): Promise<{ states: string[]; last: Awaited<ReturnType<ReplicateProvider['poll']>> }> {
  const states: string[] = [];
  for (let i = 0; i < 20; i++) {
    const s = await p.poll(id, req);
    states.push(s.state);
    if (s.state !== 'processing') return { states, last: s };
  }
  throw new Error('never finished');
}

describe('providers/generation/replicate pure parts', () => {
  it('picks the model endpoint for owner/name and the version endpoint for version ids', () => {
    expect(parseModelRef('acme/video-gen')).to.deep.equal({ model: 'acme/video-gen' });
    expect(parseModelRef('acme/video-gen:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa')).to.deep.equal({ version: '5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa' });
    expect(parseModelRef('5c7d5dc6dd8b')).to.deep.equal({ version: '5c7d5dc6dd8b' });
    expect(() => parseModelRef('a/b/c')).to.throw(/REPLICATE_MODEL must be/);
  });

  it('maps Replicate statuses', () => {
    expect(mapStatus({ id: 'x', status: 'starting' })).to.deep.equal({ state: 'processing' });
    expect(mapStatus({ id: 'x', status: 'processing' })).to.deep.equal({ state: 'processing' });
    expect(mapStatus({ id: 'x', status: 'succeeded', output: ['https://a/b.mp4', 'https://a/c.mp4'] })).to.deep.equal({ state: 'succeeded' });
    expect(mapStatus({ id: 'x', status: 'succeeded', output: null }).state).to.equal('failed');
    expect(mapStatus({ id: 'x', status: 'failed', error: 'boom' })).to.deep.equal({ state: 'failed', reason: 'Replicate prediction failed: boom' });
    expect(mapStatus({ id: 'x', status: 'canceled' })).to.deep.equal({ state: 'failed', reason: 'Replicate prediction was canceled.' });
    expect(outputUrl(['https://a/1.mp4', 'https://a/2.mp4'])).to.equal('https://a/1.mp4');
    expect(outputUrl('http://a/1.mp4')).to.equal('http://a/1.mp4');
    expect(outputUrl({ url: 'x' })).to.equal(undefined);
  });
});

describe('providers/generation/replicate against the fake server', function () {
  this.timeout(30_000);
  let fake: FakeReplicate;
  let dir: ReturnType<typeof tempDir>;
  beforeEach(async () => {
    fake = await startFakeReplicate({ pollsUntilDone: 3 });
    dir = tempDir('replicate');
  });
  afterEach(async () => {
    await fake.close();
    dir.remove();
  });

  it('creates, polls processing → succeeded, and downloads the mp4', async () => {
    const p = provider(fake);
    const { providerJobId } = await p.submit(req);
    const { states, last } = await pollUntilDone(p, providerJobId);
    expect(states).to.deep.equal(['processing', 'processing', 'succeeded']);
    expect(last).to.deep.equal({ state: 'succeeded' });
    const dest = join(dir.path, 'out.mp4');
    await p.fetchOutput(providerJobId, dest);
    const probe = await media.probe(dest);
    expect(probe.hasVideo).to.equal(true);
    expect(probe.durationSec).to.be.greaterThan(0);

    const create = fake.requests[0]!;
    expect(create).to.deep.include({ method: 'POST', path: '/v1/models/acme/video-gen/predictions', auth: 'Bearer r8_test' });
    expect(create.body).to.deep.equal({ input: { prompt: 'A lighthouse in a storm', duration: 5, aspect_ratio: '9:16' } });
  });

  it('sends a version id to POST /predictions and renamed input fields in the body', async () => {
    const p = provider(fake, { model: 'acme/video-gen:abc123', inputFields: { prompt: 'text', duration: 'seconds', aspectRatio: 'ratio' } });
    await p.submit(req);
    expect(fake.requests[0]).to.deep.include({ method: 'POST', path: '/v1/predictions' });
    expect(fake.requests[0]!.body).to.deep.equal({ version: 'abc123', input: { text: 'A lighthouse in a storm', seconds: 5, ratio: '9:16' } });
  });

  it('a failed prediction is a failed status carrying the error text', async () => {
    fake.setBehaviour('fail');
    const p = provider(fake);
    const { providerJobId } = await p.submit(req);
    const { last } = await pollUntilDone(p, providerJobId);
    expect(last).to.deep.equal({ state: 'failed', reason: 'Replicate prediction failed: CUDA out of memory (fake failure)' });
  });

  it('a prediction canceled upstream is a failed status', async () => {
    fake.setBehaviour('cancel');
    const p = provider(fake);
    const { providerJobId } = await p.submit(req);
    expect((await pollUntilDone(p, providerJobId)).last).to.deep.equal({ state: 'failed', reason: 'Replicate prediction was canceled.' });
  });

  it('cancel() cancels a running prediction', async () => {
    fake.setBehaviour('slow');
    const p = provider(fake);
    const { providerJobId } = await p.submit(req);
    expect((await p.poll(providerJobId, req)).state).to.equal('processing');
    await p.cancel(providerJobId);
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === `/v1/predictions/${providerJobId}/cancel`)).to.equal(true);
    expect((await p.poll(providerJobId, req)).state).to.equal('failed');
  });

  it('an unknown prediction polls as failed, not a crash', async () => {
    const s = await provider(fake).poll('doesnotexist', req);
    expect(s).to.deep.equal({ state: 'failed', reason: 'Replicate answered HTTP 404 for prediction doesnotexist.' });
  });

  it('a rejected token is a bad_gateway AppError on submit', async () => {
    const strict = await startFakeReplicate({ token: 'right' });
    try {
      const p = new ReplicateProvider({ ...DEFAULT_REPLICATE_OPTIONS, apiToken: 'wrong', baseUrl: strict.url, model: 'a/b' }, { logger: silentLogger });
      const err = await p.submit(req).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).code).to.equal('bad_gateway');
      expect((err as AppError).message).to.equal('Replicate failed while creating a prediction: HTTP 401.');
    } finally {
      await strict.close();
    }
  });

  it('the fake answers 401 without a bearer token', async () => {
    const res = await fetch(`${fake.url}/predictions/x`);
    expect(res.status).to.equal(401);
  });

  it('an unreachable API is a bad_gateway AppError', async () => {
    const p = provider(fake, { baseUrl: 'http://127.0.0.1:9/v1' });
    const err = await p.submit(req).catch((e: unknown) => e);
    expect((err as AppError).code).to.equal('bad_gateway');
  });

  it('refuses a download over the size cap and leaves no file behind', async () => {
    const p = provider(fake, { maxDownloadBytes: 1000 });
    const { providerJobId } = await p.submit(req);
    await pollUntilDone(p, providerJobId);
    const dest = join(dir.path, 'big.mp4');
    const err = await p.fetchOutput(providerJobId, dest).catch((e: unknown) => e);
    expect((err as AppError).code).to.equal('bad_gateway');
    expect((err as AppError).message).to.equal('Provider output is larger than the 1000-byte download limit (raise PROVIDER_MAX_DOWNLOAD_BYTES).');
    expect(existsSync(dest)).to.equal(false);
    expect(existsSync(`${dest}.download`)).to.equal(false);
  });

  it('refuses fetchOutput before the prediction succeeded', async () => {
    fake.setBehaviour('slow');
    const p = provider(fake);
    const { providerJobId } = await p.submit(req);
    const err = await p.fetchOutput(providerJobId, join(dir.path, 'x.mp4')).catch((e: unknown) => e);
    expect((err as AppError).message).to.match(/has no output to download \(status processing\)/);
  });

  it('the downloaded file is byte-identical to what the fake served', async () => {
    const p = provider(fake);
    const { providerJobId } = await p.submit(req);
    await pollUntilDone(p, providerJobId);
    const dest = join(dir.path, 'same.mp4');
    await p.fetchOutput(providerJobId, dest);
    expect(statSync(dest).size).to.equal(statSync('fixtures/media/testsrc.mp4').size);
  });
});

describe('providers/generation/index', () => {
  const base: ProviderConfig = {
    kind: 'none',
    local: { workDir: '/tmp/unused', size: 'preview' },
    replicate: { ...DEFAULT_REPLICATE_OPTIONS },
  };

  it('returns null for none and a named provider otherwise', () => {
    expect(createGenerationProvider(base, { media, logger: silentLogger })).to.equal(null);
    expect(createGenerationProvider({ ...base, kind: 'local' }, { media, logger: silentLogger })?.name).to.equal('local');
    const r = createGenerationProvider({ ...base, kind: 'replicate', replicate: { ...base.replicate, apiToken: 't', model: 'a/b' } }, { media, logger: silentLogger });
    expect(r?.name).to.equal('replicate');
  });

  it('replicate without token or model throws not_configured naming the variables', () => {
    for (const replicate of [{ ...base.replicate, model: 'a/b' }, { ...base.replicate, apiToken: 't' }]) {
      let err: unknown;
      try {
        createGenerationProvider({ ...base, kind: 'replicate', replicate }, { media, logger: silentLogger });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).code).to.equal('not_configured');
      expect((err as AppError).status).to.equal(503);
      expect((err as AppError).message).to.contain('REPLICATE_API_TOKEN').and.contain('REPLICATE_MODEL');
    }
  });
});
