import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { loadOrCreateSecrets, envString } from '../shared/src/config-helpers.js';

/**
 * `npm start`: the orchestrator and the compositor as two processes sharing
 * DATA_DIR. Secrets are created once here, before either starts. A signal
 * is passed to both; when one exits, the other is stopped too.
 */
const dataDir = resolve(envString(process.env, 'DATA_DIR', './data'));
loadOrCreateSecrets(dataDir, process.env);
const env = { ...process.env, DATA_DIR: dataDir };

const children: ChildProcess[] = [];
let exiting = false;

function run(name: string, entry: string): ChildProcess {
  // The IPC channel lets a child notice when this process dies, even by SIGKILL, and stop too.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  child.on('exit', (code, signal) => {
    if (!exiting) {
      process.stderr.write(`${name} exited (${signal ?? code}); stopping.\n`);
      shutdown('SIGTERM', code ?? 1);
    } else if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) {
      process.exit(exitCode);
    }
  });
  children.push(child);
  return child;
}

let exitCode = 0;
function shutdown(signal: NodeJS.Signals, code = 0): void {
  if (exiting) return;
  exiting = true;
  exitCode = code;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
  if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(exitCode);
}

process.on('SIGINT', () => shutdown('SIGTERM'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

run('compositor', 'compositor/src/main.ts');
run('orchestrator', 'orchestrator/src/main.ts');
