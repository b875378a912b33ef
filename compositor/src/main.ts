import { createLogger } from '../../shared/src/logger.js';
import { loadCompositorConfig } from './config.js';
import { startCompositor } from './server.js';

const config = loadCompositorConfig();
const logger = createLogger('compositor', config.logLevel);
const compositor = await startCompositor(config, logger);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    compositor.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
