import { expect } from 'chai';
import { dbKind, request, seedTenant, startTestOrchestrator, waitFor, type TestServer } from '../helpers/harness.js';
import { sourceUrls } from '../../src/sources/index.js';
import { CAPTIONS, VIDEO } from './dashboard-helpers.js';

describe(`dashboard end to end with the local provider (${dbKind})`, function () {
  this.timeout(180_000);
  let server: TestServer;
  before(async () => {
    server = await startTestOrchestrator();
  });
  after(() => server.close());

  it('create → completed → download with Range → captions → signed source for the compositor', async () => {
    const t = await seedTenant(server, { plan: 'starter' });
    const created = await request(server.url + VIDEO, { method: 'POST', token: t.sessionToken, body: { prompt: 'Lemonade stand on a sunny street 🍋', duration: 5, aspectRatio: '1:1' } });
    expect(created.status).to.equal(202);
    const id = created.body.video.id as string;
    const done = await waitFor(async () => {
      const r = await request(`${server.url}${VIDEO}?videoId=${id}`, { token: t.sessionToken });
      return r.body.video.status !== 'processing' ? r.body.video : null;
    }, 150_000, 250);
    expect(done.status).to.equal('completed');
    expect(done.shots).to.deep.equal(created.body.video.shots);

    const auth = { authorization: `Bearer ${t.sessionToken}` };
    const full = Buffer.from(await (await fetch(`${server.url}${VIDEO}?videoId=${id}&download=1`, { headers: auth })).arrayBuffer());
    expect(full.subarray(4, 8).toString()).to.equal('ftyp');
    const part = await fetch(`${server.url}${VIDEO}?videoId=${id}&download=1`, { headers: { ...auth, range: 'bytes=4-7' } });
    expect(part.status).to.equal(206);
    expect(part.headers.get('content-range')).to.equal(`bytes 4-7/${full.length}`);
    expect(await part.text()).to.equal('ftyp');

    const caps = await request(server.url + CAPTIONS, { method: 'POST', token: t.sessionToken, body: { videoId: id } });
    expect(caps.status).to.equal(200);
    expect(caps.body.charged).to.equal(true);
    expect(caps.body.captionCues[0].startSec).to.equal(0.5);
    const list = await request(server.url + VIDEO, { token: t.sessionToken });
    expect(list.body.creditsUsed).to.equal(2); // 1 generation + 1 captions

    const signed = new URL(sourceUrls(server.handle.ctx).video(id));
    const source = await fetch(server.url + signed.pathname + signed.search);
    expect(source.status).to.equal(200);
    expect(Buffer.from(await source.arrayBuffer()).equals(full)).to.equal(true);
  });
});
