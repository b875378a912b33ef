import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/free-port.js';


function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number, failure?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (failure?.test(out)) {
        clearTimeout(timer);
        reject(new Error(out));
      } else if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('npm start (both processes, fresh data dir)', function () {
  this.timeout(90_000);
  let dataDir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'nq-start-'));
  });
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs `npm start`'s script on free ports; free ports are probed, so retry when another process took one first. */
  async function launch(): Promise<{ port: number; compositorPort: number; out: string }> {
    for (let attempt = 1; ; attempt++) {
      const [port, compositorPort] = [await freePort(), await freePort()];
      child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
        env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), COMPOSITOR_PORT: String(compositorPort), LOCAL_PROVIDER_SIZE: 'preview', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        return { port, compositorPort, out: await waitForOutput(child, /session token:\s+\S+/, 60_000, /EADDRINUSE/) };
      } catch (err) {
        child.kill('SIGKILL');
        if (attempt === 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
      }
    }
  }

  const answers = (port: number) => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);

  it('stops both services when the parent process is killed outright', async () => {
    const { port, compositorPort } = await launch();
    let up = 0;
    for (let i = 0; i < 100 && up !== 200; i++) {
      up = await answers(compositorPort);
      if (up !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect([await answers(port), up]).to.deep.equal([200, 200]);
    child!.kill('SIGKILL');
    let gone: number[] = [];
    for (let i = 0; i < 100; i++) {
      gone = [await answers(port), await answers(compositorPort)];
      if (gone.every((s) => s === 0)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(gone).to.deep.equal([0, 0]);
  });

  it('generates secrets, seeds and prints a demo, serves the API, and drains on SIGTERM', async () => {
    const { port, compositorPort, out } = await launch();
    const key = /API key:\s+(\S+)/.exec(out)![1];
    expect(key).to.match(/^nq_live_/);
    expect(out).to.include(`curl -s -X POST http://localhost:${port}/api/v1/video`);
    const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8'));
    expect(secrets.sessionSecret).to.have.length.greaterThan(30);
    expect(secrets.compositorSecret).to.have.length.greaterThan(30);
    expect(existsSync(join(dataDir, 'neariq.sqlite'))).to.equal(true);

    // The two processes start side by side; the banner comes from the orchestrator.
    let compositorStatus = 0;
    for (let i = 0; i < 100 && compositorStatus !== 200; i++) {
      compositorStatus = await fetch(`http://127.0.0.1:${compositorPort}/healthz`).then((r) => r.status, () => 0);
      if (compositorStatus !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(compositorStatus).to.equal(200);
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/video`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'A sunrise over a quiet harbour', duration: 5 }),
    });
    expect(created.status).to.equal(202);

    // A request in flight when SIGTERM arrives still gets its answer: its headers and half its
    // body are sent before the signal, the rest after it.
    const body = JSON.stringify({ prompt: 'Sent across the shutdown', duration: 5 });
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    const closedSocket = new Promise((resolve) => socket.once('close', resolve));
    socket.write(`POST /api/v1/video HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`);
    socket.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 300));
    const exit = exited(child!);
    child!.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write(body.slice(10)); // no half-close: a real client waits for its answer
    await closedSocket;
    expect(answer).to.match(/^HTTP\/1.1 202/);
    expect(await exit).to.equal(0);
  });
});
