// Proves each layering / raw-IPC / keychain lint rule fires: fixture files are linted as if they lived at a given path.
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

interface Finding {
  readonly ruleId: string;
  readonly message: string;
}

async function findingsFor(fixture: string, asPath: string): Promise<Finding[]> {
  const code = readFileSync(`test/fixtures/lint/${fixture}`, 'utf8');
  const [result] = await eslint.lintText(code, { filePath: asPath });
  return (result?.messages ?? []).map((m) => ({ ruleId: m.ruleId ?? 'fatal', message: m.message }));
}

const IMPORTS = 'no-restricted-imports';
const TS_IMPORTS = '@typescript-eslint/no-restricted-imports';
const ZOD_FREE_VALUE = 'would put zod in the renderer bundle';

/** [what, fixture, linted as, rule, (part of) the message the rule gives]: the message says which rule fired and why. */
const violations: Array<[string, string, string, string, string]> = [
  ['renderer importing main-process code', 'renderer-imports-main.ts', 'renderer/src/App.tsx', IMPORTS, 'The renderer must not import main-process code.'],
  ['renderer importing electron', 'renderer-imports-electron.ts', 'renderer/src/App.tsx', IMPORTS, 'The renderer talks to main only through renderer/ipc/client.ts.'],
  ['renderer importing the sandbox', 'app-imports-sandbox.ts', 'renderer/src/App.tsx', IMPORTS, 'App code must not import the sandbox'],
  ['main importing the sandbox', 'app-imports-sandbox.ts', 'electron/main.ts', IMPORTS, 'App code must not import the sandbox'],
  ['core importing the sandbox', 'app-imports-sandbox.ts', 'electron/core/app-core.ts', IMPORTS, 'App code must not import the sandbox'],
  ['shared importing the sandbox', 'app-imports-sandbox.ts', 'shared/x.ts', IMPORTS, 'shared/ may import only its own files, zod and big.js.'],
  ['shared importing node:', 'shared-imports-node.ts', 'shared/x.ts', IMPORTS, 'shared/ is pure TypeScript: no Node APIs.'],
  ['shared importing outside shared', 'shared-imports-outside.ts', 'shared/x.ts', IMPORTS, 'shared/ may import only its own files, zod and big.js.'],
  ['shared importing an unlisted package', 'shared-imports-package.ts', 'shared/x.ts', IMPORTS, 'shared/ may import only its own files, zod and big.js.'],
  ['shared using a DOM global', 'shared-uses-dom.ts', 'shared/x.ts', 'no-restricted-globals', "Unexpected use of 'document'."],
  ['electron/core importing electron', 'core-imports-electron.ts', 'electron/core/auth/session.ts', IMPORTS, 'electron/core/ is Electron-free; inject what it needs from electron/main.ts.'],
  ['electron/core importing a shell file', 'core-imports-shell.ts', 'electron/core/app-core.ts', IMPORTS, 'electron/core/ must not import the Electron shell'],
  ['electron/core (a folder down) importing a shell file', 'core-imports-shell-deep.ts', 'electron/core/auth/session.ts', IMPORTS, 'electron/core/ must not import the Electron shell'],
  ['token-vault importing a shell file', 'core-imports-shell-deep.ts', 'electron/core/auth/token-vault.ts', IMPORTS, 'electron/core/ must not import the Electron shell'],
  ['ipcMain outside register.ts', 'uses-ipc-main.ts', 'electron/main.ts', IMPORTS, 'Only electron/ipc/register.ts may use ipcMain.'],
  ['ipcMain in preload', 'uses-ipc-main.ts', 'electron/preload.ts', IMPORTS, 'Only electron/ipc/register.ts may use ipcMain.'],
  ['ipcRenderer outside preload', 'uses-ipc-renderer.ts', 'electron/window.ts', IMPORTS, 'Only electron/preload.ts may use ipcRenderer.'],
  ['ipcRenderer in register.ts', 'uses-ipc-renderer.ts', 'electron/ipc/register.ts', IMPORTS, 'Only electron/preload.ts may use ipcRenderer.'],
  ['keytar outside token-vault', 'imports-keytar.ts', 'electron/core/auth/session.ts', IMPORTS, 'Only electron/core/auth/token-vault.ts may import keytar.'],
  ['keytar in the shell', 'imports-keytar.ts', 'electron/main.ts', IMPORTS, 'Only electron/core/auth/token-vault.ts may import keytar.'],
  ['keytar in the renderer', 'imports-keytar.ts', 'renderer/src/App.tsx', IMPORTS, 'The renderer never touches the keychain.'],
  ['sandbox importing the app', 'sandbox-imports-app.ts', 'sandbox/resource/server.ts', IMPORTS, 'The sandbox imports nothing from the app.'],
  // zod stays out of the renderer bundle: values only from zod-free shared/ modules.
  ['renderer importing a value from a schema module', 'renderer-imports-schema-value.ts', 'renderer/src/views/Orders.tsx', TS_IMPORTS, `A value from this shared/ module ${ZOD_FREE_VALUE}`],
  ['renderer importing zod', 'renderer-imports-zod.ts', 'renderer/src/App.tsx', TS_IMPORTS, `Importing zod in the renderer ${ZOD_FREE_VALUE}`],
  ['renderer inline type import (keeps the module)', 'renderer-inline-type-import.ts', 'renderer/src/App.tsx', '@typescript-eslint/no-import-type-side-effects', 'leave behind a side effect import at runtime'],
  ['zod-free shared module importing zod', 'renderer-imports-zod.ts', 'shared/scopes.ts', TS_IMPORTS, `This module is zod-free (the renderer imports it): importing zod ${ZOD_FREE_VALUE}`],
  ['zod-free shared module importing a schema value', 'zod-free-shared-imports-schema.ts', 'shared/result.ts', TS_IMPORTS, `This module is zod-free (the renderer imports it): a value from a schema module ${ZOD_FREE_VALUE}`],
];

const allowed: Array<[string, string, string]> = [
  ['shared using zod, big.js and itself', 'shared-allowed.ts', 'shared/x.ts'],
  ['renderer: values from zod-free modules, types from schema modules', 'renderer-zod-free-imports.ts', 'renderer/src/App.tsx'],
  ['zod-free shared module: types from schema modules, values from zod-free ones', 'zod-free-shared-allowed.ts', 'shared/error-codes.ts'],
  ['ipcMain in register.ts', 'uses-ipc-main.ts', 'electron/ipc/register.ts'],
  ['ipcRenderer in preload.ts', 'uses-ipc-renderer.ts', 'electron/preload.ts'],
  ['keytar in token-vault.ts', 'imports-keytar.ts', 'electron/core/auth/token-vault.ts'],
  ['electron in the shell', 'core-imports-electron.ts', 'electron/window.ts'],
  ['core importing shared/ and other core modules', 'core-imports-core.ts', 'electron/core/auth/session.ts'],
  ['tests using the sandbox', 'app-imports-sandbox.ts', 'test/sandbox/x.test.ts'],
];

describe('layering lint rules', () => {
  it.each(violations)('rejects %s', async (_name, fixture, asPath, ruleId, message) => {
    expect(await findingsFor(fixture, asPath)).toContainEqual({ ruleId, message: expect.stringContaining(message) });
  });

  it.each(allowed)('allows %s', async (_name, fixture, asPath) => {
    expect(await findingsFor(fixture, asPath)).toEqual([]);
  });
});
