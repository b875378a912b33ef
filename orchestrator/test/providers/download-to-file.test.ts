import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AppError } from '../../../shared/src/errors.js';
import { downloadToFile } from '../../src/providers/generation/download-to-file.js';
import { tempDir } from './helpers.js';

describe('providers/generation/download-to-file', () => {
  let server: Server;
  let base: string;
  let dir: ReturnType<typeof tempDir>;
  before(async () => {
    dir = tempDir('download');
    server = createServer((req, res) => {
      if (req.url === '/small') return void res.writeHead(200, { 'content-length': '5' }).end('hello');
      if (req.url === '/chunked') {
        // No content-length: the cap must hold while streaming.
        res.writeHead(200);
        let n = 0;
        const t = setInterval(() => {
          res.write(Buffer.alloc(1024, 7));
          if (++n === 20) {
            clearInterval(t);
            res.end();
          }
        }, 1);
        res.on('close', () => clearInterval(t));
        return;
      }
      if (req.url === '/stall') return void res.writeHead(200).write('x');
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    dir.remove();
  });

  it('writes the body to destPath', async () => {
    const dest = join(dir.path, 'small.bin');
    expect(await downloadToFile(`${base}/small`, dest, { maxBytes: 100, timeoutMs: 2000 })).to.deep.equal({ bytes: 5 });
    expect(readFileSync(dest, 'utf8')).to.equal('hello');
  });

  it('stops a streamed body at the cap and leaves nothing behind', async () => {
    const dest = join(dir.path, 'chunked.bin');
    const err = await downloadToFile(`${base}/chunked`, dest, { maxBytes: 4096, timeoutMs: 5000 }).catch((e: unknown) => e);
    expect((err as AppError).code).to.equal('bad_gateway');
    expect((err as AppError).message).to.match(/larger than the 4096-byte download limit/);
    expect(existsSync(dest)).to.equal(false);
    expect(existsSync(`${dest}.download`)).to.equal(false);
  });

  it('fails clearly on a stalled download', async () => {
    const dest = join(dir.path, 'stall.bin');
    const err = await downloadToFile(`${base}/stall`, dest, { maxBytes: 4096, timeoutMs: 300 }).catch((e: unknown) => e);
    expect((err as AppError).message).to.equal('Downloading provider output took longer than 300 ms (raise PROVIDER_DOWNLOAD_TIMEOUT_MS).');
    expect(existsSync(dest)).to.equal(false);
  });

  it('reports HTTP errors and refuses non-http URLs', async () => {
    const e1 = await downloadToFile(`${base}/missing`, join(dir.path, 'm'), { maxBytes: 10, timeoutMs: 1000 }).catch((e: unknown) => e);
    expect((e1 as AppError).message).to.equal('Downloading provider output failed: HTTP 404.');
    const e2 = await downloadToFile('file:///etc/passwd', join(dir.path, 'p'), { maxBytes: 10, timeoutMs: 1000 }).catch((e: unknown) => e);
    expect((e2 as AppError).code).to.equal('bad_gateway');
  });
});
