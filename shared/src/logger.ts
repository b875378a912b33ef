import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** The one logger factory: structured JSON lines, silent under tests unless LOG_LEVEL says otherwise. */
export function createLogger(name: string, level: string = 'info'): Logger {
  return pino({ name, level, base: { service: name } });
}
