import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('npm run demo', function () {
  this.timeout(240_000);
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'nq-demo-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('renders one complete commercial through the API and reports the probed file', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { env: { ...process.env, DATA_DIR: dataDir, LOCAL_PROVIDER_SIZE: 'preview' } }, (err, out, errOut) =>
        resolve({ code: err ? 1 : 0, stdout: out, stderr: errOut }),
      );
    });
    expect(code, stderr).to.equal(0);
    expect(stderr).to.match(/1\/3 generating the 15 s clip — done/);
    expect(stderr).to.match(/3\/3 compositing — \d+ %/);
    const file = /commercial: (\S+)/.exec(stdout)![1];
    expect(existsSync(file)).to.equal(true);
    expect(statSync(file).size).to.be.greaterThan(50_000);
    const m = /duration ([\d.]+) s, (\d+)x(\d+), \S+ fps, audio yes/.exec(stdout);
    expect(m, stdout).to.not.equal(null);
    expect(Math.abs(Number(m![1]) - 15)).to.be.at.most(0.1);
    expect([m![2], m![3]]).to.deep.equal(['1920', '1080']);
    expect(stdout).to.match(/credits used: 4 of 100/);
  });
});
