import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signBody } from '../../shared/src/signing.js';
import { SharedReplayStore } from '../src/http/replay-store.js';
import { SECRET, startHarness, type Harness } from './helpers/compositor-harness.js';
import { startFixtureServer } from './helpers/fixture-server.js';

describe('replay protection shared by workers on one DATA_DIR', function () {
  this.timeout(60_000);
  let fixtures: Awaited<ReturnType<typeof startFixtureServer>>;
  let dataDir: string;
  let a: Harness;
  let b: Harness;
  before(async () => {
    fixtures = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'compositor-replay-'));
    a = await startHarness({ allowedOrigins: [fixtures.origin], dataDir, env: { COMPOSITOR_STATE_DIR: join(dataDir, 'state-a') } });
    b = await startHarness({ allowedOrigins: [fixtures.origin], dataDir, env: { COMPOSITOR_STATE_DIR: join(dataDir, 'state-b') } });
  });
  after(async () => {
    await a.stop(true);
    await b.stop(true);
    await rm(dataDir, { recursive: true, force: true });
    await fixtures.close();
  });

  it('a signed request accepted by one worker is refused by the other', async () => {
    const raw = JSON.stringify({ reference: 'replay-across-workers', output: { aspect: '16:9', durationSec: 1, width: 160, height: 90 }, segments: [{ url: fixtures.url('media/red-4x3.mp4') }] });
    const headers = { 'content-type': 'application/json', ...signBody(SECRET, raw) };
    const first = await fetch(`${a.compositor.url}/compose`, { method: 'POST', body: raw, headers });
    expect(first.status).to.equal(202);
    const replayed = await fetch(`${b.compositor.url}/compose`, { method: 'POST', body: raw, headers });
    expect(replayed.status).to.equal(401);
    expect(((await replayed.json()) as { error: { message: string } }).error.message).to.match(/already used/);
    await a.waitFor(((await first.json()) as { jobId: string }).jobId);
  });

  it('the store remembers atomically and refuses anything that is not a signature', async () => {
    const store = new SharedReplayStore(join(dataDir, 'unit'));
    const sig = 'a'.repeat(64);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => store.remember(sig)));
    expect(results.filter(Boolean)).to.have.length(1);
    expect(await store.remember('../../etc/passwd')).to.equal(false);
  });
});
