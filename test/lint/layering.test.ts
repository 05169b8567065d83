// Proves each layering / raw-IPC / keychain lint rule fires: fixture files are linted as if they lived at a given path.
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIdsFor(fixture: string, asPath: string): Promise<string[]> {
  const code = readFileSync(`test/fixtures/lint/${fixture}`, 'utf8');
  const [result] = await eslint.lintText(code, { filePath: asPath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const violations: Array<[string, string, string, string]> = [
  ['renderer importing main-process code', 'renderer-imports-main.ts', 'renderer/src/App.tsx', 'no-restricted-imports'],
  ['renderer importing electron', 'renderer-imports-electron.ts', 'renderer/src/App.tsx', 'no-restricted-imports'],
  ['renderer importing the sandbox', 'app-imports-sandbox.ts', 'renderer/src/App.tsx', 'no-restricted-imports'],
  ['main importing the sandbox', 'app-imports-sandbox.ts', 'electron/main.ts', 'no-restricted-imports'],
  ['core importing the sandbox', 'app-imports-sandbox.ts', 'electron/core/app-core.ts', 'no-restricted-imports'],
  ['shared importing the sandbox', 'app-imports-sandbox.ts', 'shared/x.ts', 'no-restricted-imports'],
  ['shared importing node:', 'shared-imports-node.ts', 'shared/x.ts', 'no-restricted-imports'],
  ['shared importing outside shared', 'shared-imports-outside.ts', 'shared/x.ts', 'no-restricted-imports'],
  ['shared importing an unlisted package', 'shared-imports-package.ts', 'shared/x.ts', 'no-restricted-imports'],
  ['shared using a DOM global', 'shared-uses-dom.ts', 'shared/x.ts', 'no-restricted-globals'],
  ['electron/core importing electron', 'core-imports-electron.ts', 'electron/core/auth/session.ts', 'no-restricted-imports'],
  ['ipcMain outside register.ts', 'uses-ipc-main.ts', 'electron/main.ts', 'no-restricted-imports'],
  ['ipcMain in preload', 'uses-ipc-main.ts', 'electron/preload.ts', 'no-restricted-imports'],
  ['ipcRenderer outside preload', 'uses-ipc-renderer.ts', 'electron/window.ts', 'no-restricted-imports'],
  ['ipcRenderer in register.ts', 'uses-ipc-renderer.ts', 'electron/ipc/register.ts', 'no-restricted-imports'],
  ['keytar outside token-vault', 'imports-keytar.ts', 'electron/core/auth/session.ts', 'no-restricted-imports'],
  ['keytar in the shell', 'imports-keytar.ts', 'electron/main.ts', 'no-restricted-imports'],
  ['keytar in the renderer', 'imports-keytar.ts', 'renderer/src/App.tsx', 'no-restricted-imports'],
  ['sandbox importing the app', 'sandbox-imports-app.ts', 'sandbox/resource/server.ts', 'no-restricted-imports'],
  // zod stays out of the renderer bundle: values only from zod-free shared/ modules.
  ['renderer importing a value from a schema module', 'renderer-imports-schema-value.ts', 'renderer/src/views/Orders.tsx', '@typescript-eslint/no-restricted-imports'],
  ['renderer importing zod', 'renderer-imports-zod.ts', 'renderer/src/App.tsx', '@typescript-eslint/no-restricted-imports'],
  ['renderer inline type import (keeps the module)', 'renderer-inline-type-import.ts', 'renderer/src/App.tsx', '@typescript-eslint/no-import-type-side-effects'],
  ['zod-free shared module importing zod', 'renderer-imports-zod.ts', 'shared/scopes.ts', '@typescript-eslint/no-restricted-imports'],
  ['zod-free shared module importing a schema value', 'zod-free-shared-imports-schema.ts', 'shared/result.ts', '@typescript-eslint/no-restricted-imports'],
];

const allowed: Array<[string, string, string]> = [
  ['shared using zod, big.js and itself', 'shared-allowed.ts', 'shared/x.ts'],
  ['renderer: values from zod-free modules, types from schema modules', 'renderer-zod-free-imports.ts', 'renderer/src/App.tsx'],
  ['zod-free shared module: types from schema modules, values from zod-free ones', 'zod-free-shared-allowed.ts', 'shared/error-codes.ts'],
  ['ipcMain in register.ts', 'uses-ipc-main.ts', 'electron/ipc/register.ts'],
  ['ipcRenderer in preload.ts', 'uses-ipc-renderer.ts', 'electron/preload.ts'],
  ['keytar in token-vault.ts', 'imports-keytar.ts', 'electron/core/auth/token-vault.ts'],
  ['electron in the shell', 'core-imports-electron.ts', 'electron/window.ts'],
  ['tests using the sandbox', 'app-imports-sandbox.ts', 'test/sandbox/x.test.ts'],
];

describe('layering lint rules', () => {
  it.each(violations)('rejects %s', async (_name, fixture, asPath, rule) => {
    expect(await ruleIdsFor(fixture, asPath)).toContain(rule);
  });

  it.each(allowed)('allows %s', async (_name, fixture, asPath) => {
    expect(await ruleIdsFor(fixture, asPath)).toEqual([]);
  });
});
