// Runs the sandbox CLI as a child process (node --import tsx sandbox/cli.ts) and waits for its JSON ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SandboxReadyLine {
  event: 'ready';
  issuer: string;
  api: string;
  /** Orchestrations above this amount (USD equivalent) wait for approval. */
  approvalThreshold: string;
  tooling: { client_id: string; client_secret: string };
  /** The rate limits in force (the CLI's default: the published ones at scale 1). */
  rateLimits: { enabled: false } | { enabled: true; scale: number; windowSeconds: number; lockoutSeconds: number; perSecond: Record<string, number> };
}

export interface SandboxProcess {
  ready: SandboxReadyLine;
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Sends the signal (SIGTERM by default) and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * Starts `sandbox/cli.ts` with `args` in one node process (no npm/npx wrapper, so signals reach it
 * directly) and resolves once the first stdout line (the ready JSON) arrives. Always call stop().
 */
export function spawnSandbox(args: readonly string[] = [], options: { timeoutMs?: number } = {}): Promise<SandboxProcess> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', stopTimeoutMs = 10_000) => {
    const done = exited(child);
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    try {
      return await done;
    } finally {
      clearTimeout(timer);
    }
  };

  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      cleanup();
      void stop('SIGKILL');
      reject(new Error(`${message}\nstderr:\n${err}`));
    };
    const onData = () => {
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      cleanup();
      try {
        const ready = JSON.parse(out.slice(0, newline)) as SandboxReadyLine;
        resolve({ ready, child, stdout: () => out, stderr: () => err, stop });
      } catch {
        void stop('SIGKILL');
        reject(new Error(`first stdout line is not JSON: ${out.slice(0, newline)}`));
      }
    };
    const onExit = (code: number | null) => fail(`sandbox exited (code ${code}) before it was ready`);
    const timer = setTimeout(() => fail(`sandbox not ready within ${timeoutMs} ms`), timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}
