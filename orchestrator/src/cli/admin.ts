import { loadConfig } from '../config.js';
import { connectDb, migrate } from '../db/connect.js';
import { AccountRepository } from '../auth/account-repository.js';
import { COMMANDS, parseFlags, UsageError } from './admin-commands.js';

/**
 * Operator CLI: `npm run -s admin -- <command> [--flags]`. Prints one JSON
 * object on stdout; on bad arguments, one line on stderr and exit code 2.
 */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`error: ${name ? `unknown command "${name}"` : 'no command given'}; commands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  let flags;
  try {
    flags = parseFlags(rest);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message} (usage: ${name} ${command.usage})\n`);
    return 2;
  }
  const config = loadConfig();
  const db = connectDb({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, databaseSchema: config.databaseSchema });
  try {
    await migrate(db);
    const result = await command.run(flags, { accounts: new AccountRepository(db), sessionSecret: config.secrets.sessionSecret });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (err) {
    const usage = err instanceof UsageError;
    process.stderr.write(`error: ${(err as Error).message.split('\n')[0]}${usage ? ` (usage: ${name} ${command.usage})` : ''}\n`);
    return usage ? 2 : 1;
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
