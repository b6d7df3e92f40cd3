// Entry point of a server process. Stops taking requests on SIGTERM/SIGINT and closes its
// connections before exiting.
import { loadConfigOrExit } from '../config/config';
import { createLogger } from '../config/logger';
import { startServer } from './start';

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger('server', config.LOG_LEVEL);
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  const server = await startServer(config, logger);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (e) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: Error) => {
  process.stderr.write(`server failed to start: ${e.message}\n`);
  process.exit(1);
});
