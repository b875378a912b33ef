import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { loadOrCreateSecrets } from '../../shared/src/config-helpers.js';

function admin(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'orchestrator/src/cli/admin.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const json = (r: { stdout: string }) => JSON.parse(r.stdout);

describe('admin CLI', function () {
  this.timeout(60_000);
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'nq-cli-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates a team, user, business, membership, key and session, each as one JSON object', async () => {
    const team = json(await admin(dataDir, ['team:create', '--name', 'Acme Team']));
    expect(team.id).to.match(/^team_/);
    const user = json(await admin(dataDir, ['user:create', '--email', 'ana@example.com']));
    const biz = json(await admin(dataDir, ['business:create', '--name', 'Acme', '--plan', 'starter', '--team', team.id]));
    expect(biz.id).to.match(/^biz_/);
    const member = json(await admin(dataDir, ['member:add', '--team', team.id, '--user', user.id, '--permissions', 'create_video']));
    expect(member.permissions).to.deep.equal(['create_video']);
    const key = await admin(dataDir, ['apikey:create', '--business', biz.id, '--user', user.id, '--scopes', 'content:read,content:write']);
    expect(key.stdout.trim().split('\n')).to.have.length(1);
    expect(json(key).key).to.match(/^nq_live_/);
    expect(json(key).id).to.match(/^key_/);
    const mark = json(await admin(dataDir, ['business:set-watermark', '--id', biz.id, '--text', 'Acme Studio']));
    expect(mark).to.deep.equal({ id: biz.id, watermarkText: 'Acme Studio' });
    const revoked = json(await admin(dataDir, ['apikey:revoke', '--id', json(key).id]));
    expect(revoked).to.deep.equal({ id: json(key).id, revoked: true });
    const session = json(await admin(dataDir, ['session:token', '--user', user.id, '--business', biz.id, '--ttl', '120']));
    const secret = loadOrCreateSecrets(dataDir, {}).sessionSecret;
    const claims = jwt.verify(session.token, Buffer.from(secret, 'utf8'), { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(claims.sub).to.equal(user.id);
    expect(claims.businessId).to.equal(biz.id);
    expect(claims.exp! - claims.iat!).to.equal(120);
  });

  it('lists and sets plans', async () => {
    const set = json(await admin(dataDir, ['plan:set', '--name', 'starter', '--credits', '40', '--watermark', 'false']));
    expect(set.plan).to.include({ name: 'starter', monthlyCredits: 40, watermarkRequired: false, allowMusic: true });
    const plans = json(await admin(dataDir, ['plan:list'])).plans;
    expect(plans.map((p: { name: string }) => p.name)).to.include.members(['free', 'starter', 'pro', 'agency']);
  });

  for (const [name, args, pattern] of [
    ['no command', [], /no command given/],
    ['unknown command', ['nope'], /unknown command "nope"/],
    ['missing flag', ['business:create', '--name', 'X'], /--plan is required/],
    ['unknown plan', ['business:create', '--name', 'X', '--plan', 'gold'], /unknown plan "gold"/],
    ['bad scopes', ['apikey:create', '--business', 'biz_x', '--scopes', 'admin'], /--scopes must be/],
    ['ttl 0', ['session:token', '--user', 'u', '--business', 'b', '--ttl', '0'], /--ttl must be/],
    ['flag without value', ['user:create', '--email'], /--email needs a value/],
  ] as Array<[string, string[], RegExp]>) {
    it(`exits non-zero with one line on stderr for ${name}`, async () => {
      const r = await admin(dataDir, args);
      expect(r.code).to.not.equal(0);
      expect(r.stdout).to.equal('');
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.match(pattern);
    });
  }
});
