import { createLogger } from '../../shared/src/logger.js';
import { loadCompositorConfig } from './config.js';
import { startCompositor } from './server.js';

const config = loadCompositorConfig();
const logger = createLogger('compositor', config.logLevel);
const compositor = await startCompositor(config, logger);

let stopping = false;
function stop(reason: string): void {
  if (stopping) return;
  stopping = true;
  logger.info({ reason }, 'shutting down');
  compositor.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));
// Started by `npm start`: when that parent goes away (even killed), so do we.
if (process.send) process.on('disconnect', () => stop('parent exited'));
