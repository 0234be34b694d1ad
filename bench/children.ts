/**
 * Starts the benchmark servers (bench/child.ts) in their own processes and asks each for its CPU time,
 * so the load generator, the gateway and the fake provider never share an event loop and CPU per
 * request can be read per process. `BENCH_PROF=DIR` runs the gateway children under `--cpu-prof`;
 * `BENCH_NODE_FLAGS` adds node flags to them (e.g. `--perf-basic-prof` for `perf record -p`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface Cpu {
  total: number;
  user: number;
}

export type Role = 'demo' | 'bare-proxy' | 'gateway' | 'gateway-chain';

export interface Child {
  role: Role;
  url: string;
  child: ChildProcess;
  /** CPU time of the child so far, in microseconds: user + system, and user alone. */
  cpu(): Promise<Cpu>;
  stop(): Promise<void>;
}

export function startChild(role: Role, upstream: string | undefined, env: NodeJS.ProcessEnv): Promise<Child> {
  const prof = role === 'demo' ? [] : [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []), ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', join(import.meta.dirname, 'child.ts'), role, ...(upstream ? [upstream] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench child ${role} exited with ${code}`)));
    const lines = createInterface({ input: child.stdout! });
    const waiting: ((cpu: Cpu) => void)[] = [];
    let started = false;
    lines.on('line', (line) => {
      // Anything else on stdout (node tracing flags print there) goes to stderr.
      if (!line.startsWith('{')) return void process.stderr.write(line + '\n');
      const msg = JSON.parse(line) as { url?: string; cpuMicros?: number; userMicros?: number };
      if (!started && msg.url) {
        started = true;
        resolve({
          role,
          url: msg.url,
          child,
          cpu: () =>
            new Promise<Cpu>((r) => {
              waiting.push(r);
              child.stdin!.write('cpu\n');
            }),
          stop: () =>
            new Promise<void>((r) => {
              child.removeAllListeners('exit');
              child.once('exit', () => r());
              child.kill('SIGTERM');
            }),
        });
      } else if (msg.cpuMicros !== undefined) waiting.shift()?.({ total: msg.cpuMicros, user: msg.userMicros ?? 0 });
    });
  });
}
