/** Starts test/evidence/gateway-child.ts as a separate process and waits for its URL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildGateway {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./gateway-child.ts', import.meta.url));

export function startChildGateway(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<ChildGateway> {
  const proc = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, ...env, KT_CHILD_CONFIG: yaml },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (!m) return;
      proc.stdout!.off('data', onData);
      proc.stdout!.resume();
      resolve({
        url: m[1],
        proc,
        stop: async () => {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
          await exited;
        },
        kill9: async () => {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
          await exited;
        },
      });
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`child gateway exited (${code}) before it was ready: ${stderr.slice(-2000)}`)));
  });
}
