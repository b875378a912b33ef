import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { errorMiddleware } from '../../../shared/src/http-errors.js';
import { createLogger } from '../../../shared/src/logger.js';
import { contentTypeOf, parseRange, sendFile } from '../../src/http/send-file.js';

describe('http/send-file', () => {
  describe('parseRange (pure)', () => {
    const cases: Array<[string | undefined, number, ReturnType<typeof parseRange>]> = [
      [undefined, 100, { kind: 'full' }],
      ['bytes=0-9', 100, { kind: 'partial', start: 0, end: 9 }],
      ['bytes=90-', 100, { kind: 'partial', start: 90, end: 99 }],
      ['bytes=-10', 100, { kind: 'partial', start: 90, end: 99 }],
      ['bytes=-1000', 100, { kind: 'partial', start: 0, end: 99 }],
      ['bytes=50-5000', 100, { kind: 'partial', start: 50, end: 99 }],
      ['bytes=100-', 100, { kind: 'unsatisfiable' }],
      ['bytes=100-200', 100, { kind: 'unsatisfiable' }],
      ['bytes=9-3', 100, { kind: 'unsatisfiable' }],
      ['bytes=-0', 100, { kind: 'unsatisfiable' }],
      ['bytes=0-', 0, { kind: 'unsatisfiable' }],
      ['bytes=0-1,5-6', 100, { kind: 'full' }],
      ['items=0-1', 100, { kind: 'full' }],
      ['bytes=-', 100, { kind: 'full' }],
      ['bytes=abc', 100, { kind: 'full' }],
    ];
    for (const [header, size, expected] of cases) {
      it(`${header ?? '(none)'} of ${size} bytes → ${expected.kind}`, () => {
        expect(parseRange(header, size)).to.deep.equal(expected);
      });
    }

    it('content types by extension', () => {
      expect(contentTypeOf('/a/b.MP4')).to.equal('video/mp4');
      expect(contentTypeOf('x.wav')).to.equal('audio/wav');
      expect(contentTypeOf('x.bin')).to.equal('application/octet-stream');
    });
  });

  describe('over HTTP', () => {
    let server: Server;
    let url: string;
    let dir: string;
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'send-file-'));
      writeFileSync(join(dir, 'clip.mp4'), data);
      writeFileSync(join(dir, 'empty.wav'), Buffer.alloc(0));
      const app = new Koa();
      app.silent = true;
      app.use(errorMiddleware(createLogger('test', 'silent')));
      app.use(async (ctx) => sendFile(ctx, { path: join(dir, ctx.path.slice(1)), downloadName: ctx.query.dl ? 'my clip".mp4' : undefined }));
      server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('200 with the whole file, content type, length, ETag and Accept-Ranges', async () => {
      const res = await fetch(`${url}/clip.mp4`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('video/mp4');
      expect(res.headers.get('content-length')).to.equal('1000');
      expect(res.headers.get('accept-ranges')).to.equal('bytes');
      expect(res.headers.get('etag')).to.match(/^"[0-9a-f]+-[0-9a-f]+"$/);
      expect(Buffer.from(await res.arrayBuffer()).equals(data)).to.equal(true);
    });

    it('206 with exactly the requested bytes and Content-Range', async () => {
      const res = await fetch(`${url}/clip.mp4`, { headers: { range: 'bytes=100-199' } });
      expect(res.status).to.equal(206);
      expect(res.headers.get('content-range')).to.equal('bytes 100-199/1000');
      expect(res.headers.get('content-length')).to.equal('100');
      expect(Buffer.from(await res.arrayBuffer()).equals(data.subarray(100, 200))).to.equal(true);
      const tail = await fetch(`${url}/clip.mp4`, { headers: { range: 'bytes=-3' } });
      expect(Buffer.from(await tail.arrayBuffer()).equals(data.subarray(997))).to.equal(true);
    });

    it('416 with Content-Range */size for a range past the end, in the error shape', async () => {
      const res = await fetch(`${url}/clip.mp4`, { headers: { range: 'bytes=1000-' } });
      expect(res.status).to.equal(416);
      expect(res.headers.get('content-range')).to.equal('bytes */1000');
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).to.equal('range_not_satisfiable');
      expect(body.error.message).to.match(/1000 bytes/);
    });

    it('HEAD gives the headers without a body; HEAD with a range gives the partial length', async () => {
      const head = await fetch(`${url}/clip.mp4`, { method: 'HEAD' });
      expect(head.status).to.equal(200);
      expect(head.headers.get('content-length')).to.equal('1000');
      expect(head.headers.get('content-type')).to.equal('video/mp4');
      expect((await head.arrayBuffer()).byteLength).to.equal(0);
      const part = await fetch(`${url}/clip.mp4`, { method: 'HEAD', headers: { range: 'bytes=0-9' } });
      expect(part.status).to.equal(206);
      expect(part.headers.get('content-length')).to.equal('10');
    });

    it('304 for a matching If-None-Match; If-Range with a stale ETag sends the whole file', async () => {
      const etag = (await fetch(`${url}/clip.mp4`, { method: 'HEAD' })).headers.get('etag')!;
      expect((await fetch(`${url}/clip.mp4`, { headers: { 'if-none-match': etag } })).status).to.equal(304);
      const stale = await fetch(`${url}/clip.mp4`, { headers: { range: 'bytes=0-9', 'if-range': '"stale"' } });
      expect(stale.status).to.equal(200);
      expect((await stale.arrayBuffer()).byteLength).to.equal(1000);
      const fresh = await fetch(`${url}/clip.mp4`, { headers: { range: 'bytes=0-9', 'if-range': etag } });
      expect(fresh.status).to.equal(206);
    });

    it('404 for a missing file or a directory; an empty file is 200 with no bytes', async () => {
      const missing = await fetch(`${url}/nope.mp4`);
      expect(missing.status).to.equal(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).to.equal('not_found');
      expect((await fetch(`${url}/`)).status).to.equal(404);
      const empty = await fetch(`${url}/empty.wav`);
      expect(empty.status).to.equal(200);
      expect(empty.headers.get('content-type')).to.equal('audio/wav');
      expect((await empty.arrayBuffer()).byteLength).to.equal(0);
    });

    it('a download name is sanitised into Content-Disposition', async () => {
      const res = await fetch(`${url}/clip.mp4?dl=1`, { method: 'HEAD' });
      expect(res.headers.get('content-disposition')).to.equal('attachment; filename="my_clip_.mp4"');
    });
  });
});
