import { loadConfig } from './config.js';
import { startOrchestrator } from './orchestrator.js';
import { demoBanner, ensureDemo } from './cli/demo-seed.js';
import './routes.js';

/** Runs the orchestrator from the environment; SIGINT/SIGTERM drain and exit. */
async function main(): Promise<void> {
  const config = loadConfig();
  const handle = await startOrchestrator(config);
  const { ctx } = handle;
  if (config.demo) {
    const seeded = await ensureDemo({ db: ctx.db, accounts: ctx.accounts, dataDir: config.dataDir, sessionSecret: config.secrets.sessionSecret });
    if (seeded) process.stdout.write(demoBanner(handle.url, seeded.demo) + '\n');
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'draining');
    handle
      .close()
      .then(() => process.exit(0))
      .catch((err) => {
        ctx.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Started by `npm start`: when that parent goes away, so do we.
  if (process.send) process.on('disconnect', () => stop('parent exited'));
}

main().catch((err) => {
  process.stderr.write(`orchestrator failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
