// `npm start`: checks for the Electron binary, builds, starts the local sandbox and launches the app pointed at it.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { findElectronBinary, MISSING_ELECTRON_HINT } from './electron-binary.mjs';

const electron = findElectronBinary();
if (!electron.found) {
  console.error(MISSING_ELECTRON_HINT);
  process.exit(1);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (spawnSync(npm, ['run', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1);

const useSandbox = !process.env.PARTNER_CONSOLE_NO_SANDBOX;
const env = { ...process.env };
let sandbox;
if (useSandbox) {
  sandbox = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: sandbox.stdout });
    lines.once('line', (line) => resolve(JSON.parse(line)));
    sandbox.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before it was ready`)));
  }).catch((e) => {
    console.error(`npm start: ${e.message}`);
    process.exit(1);
  });
  env.PARTNER_CONSOLE_SANDBOX_ISSUER = ready.issuer;
  env.PARTNER_CONSOLE_SANDBOX_API = ready.api;
  // The review step says beforehand when an order will wait for approval; the app learns the threshold only from here.
  env.PARTNER_CONSOLE_SANDBOX_APPROVAL_THRESHOLD = ready.approvalThreshold;
  console.error(
    `sandbox ready: issuer ${ready.issuer}, api ${ready.api}, orders above ${ready.approvalThreshold} USD wait for approval (operators: ops@partner.test, ops2@partner.test / sandbox)`,
  );
}

const app = spawn(electron.path, ['.'], { stdio: 'inherit', env });
const stop = () => sandbox?.kill('SIGTERM');
process.on('SIGINT', () => app.kill('SIGINT'));
process.on('SIGTERM', () => app.kill('SIGTERM'));
app.on('exit', (code) => {
  stop();
  process.exit(code ?? 0);
});
