import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MUSIC_DIR } from '../../src/composites/music-files.js';
import { MUSIC_PREFIX, sourceUrls } from '../../src/sources/index.js';
import { dbKind, startTestOrchestrator, type TestServer } from '../helpers/harness.js';

describe(`signed music beds (${dbKind})`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestOrchestrator({ JOB_RUNNER: 'false' });
  });
  after(() => server.close());

  it('signs URLs on the real port and serves the bed with Range support', async () => {
    const url = sourceUrls(server.handle.ctx).music('calm');
    expect(url.startsWith(`${server.url}${MUSIC_PREFIX}/calm?exp=`)).to.equal(true);
    const bytes = readFileSync(join(DEFAULT_MUSIC_DIR, 'calm.m4a'));
    const full = await fetch(url);
    expect(full.status).to.equal(200);
    expect(full.headers.get('content-type')).to.equal('audio/mp4');
    expect(Buffer.from(await full.arrayBuffer()).equals(bytes)).to.equal(true);
    const part = await fetch(url, { headers: { range: 'bytes=10-19' } });
    expect(part.status).to.equal(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(10, 20))).to.equal(true);
  });

  it('refuses unsigned, tampered and re-targeted URLs, and unknown moods', async () => {
    const good = new URL(sourceUrls(server.handle.ctx).music('calm'));
    const retarget = `${server.url}${MUSIC_PREFIX}/upbeat${good.search}`;
    for (const url of [`${server.url}${MUSIC_PREFIX}/calm`, good.href.replace(/sig=(.)/, (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`), retarget]) {
      const res = await fetch(url);
      expect(res.status, url).to.equal(401);
      expect((await res.json()).error.code).to.equal('invalid_signature');
    }
    const unknown = await fetch(sourceUrls(server.handle.ctx).music('..%2F..%2Fsecrets.json'));
    expect(unknown.status).to.equal(404);
  });
});
