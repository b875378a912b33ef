import { expect } from 'chai';
import { renderViaApi, startHarness, type Harness } from './helpers/compositor-harness.js';
import { startFixtureServer } from './helpers/fixture-server.js';

describe('compositor /metrics', function () {
  this.timeout(120_000);
  let fixtures: Awaited<ReturnType<typeof startFixtureServer>>;
  let h: Harness;
  before(async () => {
    fixtures = await startFixtureServer();
    h = await startHarness({ allowedOrigins: [fixtures.origin] });
  });
  after(async () => {
    await h.stop();
    await fixtures.close();
  });

  const scrape = async () => (await fetch(`${h.compositor.url}/metrics`)).text();
  const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"()[\]]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

  it('counts renders by outcome with their seconds, and requests by route pattern', async () => {
    const before = await scrape();
    expect(value(before, 'neariq_compositor_queue_depth')).to.equal(0);
    const ok = await renderViaApi(h, { output: { aspect: '16:9', durationSec: 2, width: 160, height: 90 }, segments: [{ url: fixtures.url('media/red-4x3.mp4') }] });
    expect(ok.status).to.equal('completed');
    const bad = await renderViaApi(h, { output: { aspect: '16:9', durationSec: 2, width: 160, height: 90 }, segments: [{ url: fixtures.url('media/no-such-file.mp4') }] });
    expect(bad.status).to.equal('failed');
    const after = await scrape();
    expect(value(after, 'neariq_compositor_renders_total{outcome="completed"}')).to.equal(1);
    expect(value(after, 'neariq_compositor_renders_total{outcome="failed"}')).to.equal(1);
    expect(value(after, 'neariq_compositor_render_seconds_count{outcome="completed"}')).to.equal(1);
    expect(value(after, 'neariq_compositor_render_seconds_sum{outcome="completed"}')).to.be.greaterThan(0);
    expect(after).to.match(/neariq_compositor_http_requests_total\{method="GET",route="\/compose\/:jobId",status="200"\} \d+/);
    expect(after).to.match(/neariq_compositor_http_requests_total\{method="POST",route="\/compose",status="202"\} 2/);
    expect(after).to.not.match(/route="\/compose\/cmp_/);
  });
});
