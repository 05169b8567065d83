// The shell's two IPC files, run for real outside Electron: electron/preload.ts bundled for a Chromium page and
// electron/ipc/register.ts bundled for Node, each with `electron` replaced by a stand-in (test/support/electron-stand-ins/).
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import type * as Register from '../../electron/ipc/register';
import type * as MainStandIn from './electron-stand-ins/main';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STAND_INS = join(REPO_ROOT, 'test', 'support', 'electron-stand-ins');

/** Resolves `import ... from 'electron'` to `file`. */
function electronIs(file: string): Plugin {
  return {
    name: 'electron-stand-in',
    setup(build) {
      build.onResolve({ filter: /^electron$/ }, () => ({ path: file }));
    },
  };
}

let preload: Promise<string> | undefined;

/**
 * electron/preload.ts as a classic script for `context.addInitScript`: its `electron` is the page stand-in, so
 * window.partnerConsole is the real preload's bridge and every call goes through `window.__pcInvoke` (bound by the harness).
 */
export function preloadForPage(): Promise<string> {
  preload ??= (async () => {
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: [join(REPO_ROOT, 'electron', 'preload.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'chrome130',
      plugins: [electronIs(join(STAND_INS, 'page.ts'))],
      logLevel: 'warning',
    });
    return out.outputFiles[0]!.text;
  })();
  return preload;
}

/** The real register.ts, plus the stand-in ipcMain it registers with. */
export type RegisterModule = typeof Register & Pick<typeof MainStandIn, 'invokeMain' | 'registeredChannels'>;

let registerFile: Promise<string> | undefined;

/**
 * A fresh instance of electron/ipc/register.ts (with its own stand-in ipcMain, so several harnesses can live in one
 * process). Loaded with Node's own require, so it works the same under vitest and under tsx (the benchmarks).
 */
export async function loadRegister(): Promise<RegisterModule> {
  registerFile ??= (async () => {
    const { build } = await import('esbuild');
    const out = await build({
      stdin: {
        contents: `export * from './electron/ipc/register.ts';\nexport { invokeMain, registeredChannels } from 'electron';\n`,
        resolveDir: REPO_ROOT,
        sourcefile: 'register-with-stand-in.ts',
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      plugins: [electronIs(join(STAND_INS, 'main.ts'))],
      logLevel: 'warning',
    });
    const code = out.outputFiles[0]!.text;
    const dir = join(tmpdir(), 'partner-console-test-bundles');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `register-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.cjs`);
    // Written aside and renamed: another test process may be loading the same file right now.
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, code);
    await rename(partial, file);
    return file;
  })();
  const file = await registerFile;
  const require = createRequire(import.meta.url);
  delete require.cache[file];
  return require(file) as RegisterModule;
}
