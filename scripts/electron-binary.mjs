// Finds the Electron binary without require('electron') (which would try to download it): path.txt + dist/, or ELECTRON_OVERRIDE_DIST_PATH.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MISSING_ELECTRON_HINT =
  'Electron binary not found (it was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?). Fix: ELECTRON_SKIP_BINARY_DOWNLOAD= npm rebuild electron  (or rm -rf node_modules && npm install without that variable).';

/** @returns {{ found: true, path: string } | { found: false, reason: string }} */
export function findElectronBinary(root = process.cwd()) {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const exe = join(override, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron');
    return existsSync(exe) ? { found: true, path: exe } : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary (${exe})` };
  }
  const pkg = join(root, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return { found: false, reason: 'node_modules/electron/path.txt is missing' };
  const exe = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(exe) ? { found: true, path: exe } : { found: false, reason: `${exe} is missing` };
}
