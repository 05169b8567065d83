// Type-checks every layer with its own tsconfig (shared, electron against Electron's types, renderer, sandbox, tests).
import { spawnSync } from 'node:child_process';

const projects = ['shared', 'electron', 'renderer', 'sandbox', 'test'];
let failed = false;
for (const p of projects) {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', `${p}/tsconfig.json`], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`typecheck: ${p} has type errors`);
    failed = true;
  }
}
if (failed) process.exit(1);
console.log(`typecheck: ${projects.join(', ')} ok`);
