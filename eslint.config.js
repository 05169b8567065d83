// Lint: TypeScript rules plus the layering rules (who may import what, and who may touch raw IPC or the keychain).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const SANDBOX = { group: ['**/sandbox', '**/sandbox/**'], message: 'App code must not import the sandbox: it stands in for a remote service.' };
const NODE_BUILTINS = { regex: '^node:', message: 'shared/ is pure TypeScript: no Node APIs.' };

/**
 * shared/ modules with no zod at runtime (directly or through what they import). The renderer may import values only
 * from these; from every other shared/ module (domain, app-error, ipc-contract: they build zod schemas at load time)
 * only types, so zod stays out of the renderer bundle. Add a module here only if it keeps to the same rule.
 */
const ZOD_FREE_SHARED = ['domain-constants', 'order-statuses', 'scopes', 'error-codes', 'result', 'money', 'bridge-methods'];
const ZOD_FREE = ZOD_FREE_SHARED.join('|');
const ZOD_AT_RUNTIME = 'would put zod in the renderer bundle: use `import type`, or import the value from a zod-free module';

/** Same rule everywhere `electron` may be imported: raw ipcMain only in electron/ipc/register.ts, ipcRenderer only in electron/preload.ts. */
const rawIpc = (allow) => [
  ...(allow === 'ipcMain' ? [] : [{ name: 'electron', importNames: ['ipcMain'], message: 'Only electron/ipc/register.ts may use ipcMain.' }]),
  ...(allow === 'ipcRenderer' ? [] : [{ name: 'electron', importNames: ['ipcRenderer'], message: 'Only electron/preload.ts may use ipcRenderer.' }]),
  { name: 'keytar', message: 'Only electron/core/auth/token-vault.ts may import keytar.' },
];

const CORE_IS_ELECTRON_FREE = { name: 'electron', message: 'electron/core/ is Electron-free; inject what it needs from electron/main.ts.' };

/**
 * Import rules for a file in electron/core/ `depth` folders down (electron/core/x.ts is 1). Import paths are matched as
 * written, so the shell (electron/*.ts, electron/ipc/**: the files that import `electron`) is what a relative path
 * reaches after climbing out of core/ exactly `depth` levels: `../window` from electron/core/x.ts, `../../ipc/register`
 * from electron/core/auth/x.ts. Climbing further (to shared/) or staying inside core/ is fine.
 */
function coreRules(depth, allowKeytar) {
  const up = '\\.\\./'.repeat(depth);
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: [CORE_IS_ELECTRON_FREE, ...(allowKeytar ? [] : [{ name: 'keytar', message: 'Only electron/core/auth/token-vault.ts may import keytar.' }])],
        patterns: [
          SANDBOX,
          { group: ['**/renderer/**'], message: 'Main must not import renderer code.' },
          {
            regex: `^${up}(?!\\.\\./|core(/|$))`,
            message: 'electron/core/ must not import the Electron shell (electron/*.ts, electron/ipc/): the shell builds the core and injects what it needs.',
          },
        ],
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test/fixtures/lint/**', 'coverage/**', '.vite/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  { files: ['scripts/**', 'electron/**', 'sandbox/**', 'test/**', 'bench/**', '*.js', '*.ts', 'renderer/vite.config.ts'], languageOptions: { globals: globals.node } },
  { files: ['renderer/**'], languageOptions: { globals: globals.browser } },

  // shared/: only zod, big.js and its own files; no Node, no DOM.
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            NODE_BUILTINS,
            { regex: '^(?!\\./|zod$|big\\.js$)', message: 'shared/ may import only its own files, zod and big.js.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  // renderer/: never main-process code, never the sandbox, never Electron or Node.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through renderer/ipc/client.ts.' }],
          patterns: [
            { group: ['**/electron', '**/electron/**'], message: 'The renderer must not import main-process code.' },
            SANDBOX,
            { regex: '^node:', message: 'The renderer has no Node APIs.' },
            { regex: '^keytar$', message: 'The renderer never touches the keychain.' },
          ],
        },
      ],
    },
  },
  // renderer/ and zod-free shared/ modules: values only from zod-free modules, types from anywhere (see ZOD_FREE_SHARED).
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `(^|/)shared/(?!(${ZOD_FREE})$)`, allowTypeImports: true, message: `A value from this shared/ module ${ZOD_AT_RUNTIME} (${ZOD_FREE_SHARED.join(', ')}).` },
            { regex: '^zod($|/)', allowTypeImports: true, message: `Importing zod in the renderer ${ZOD_AT_RUNTIME}.` },
          ],
        },
      ],
      // `import { type A } from './domain'` keeps `import './domain'` (verbatimModuleSyntax), which runs its zod schemas.
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    files: ZOD_FREE_SHARED.map((m) => `shared/${m}.ts`),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^\\./(?!(${ZOD_FREE})$)`, allowTypeImports: true, message: `This module is zod-free (the renderer imports it): a value from a schema module ${ZOD_AT_RUNTIME}.` },
            { regex: '^zod($|/)', allowTypeImports: true, message: `This module is zod-free (the renderer imports it): importing zod ${ZOD_AT_RUNTIME}.` },
          ],
        },
      ],
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  // electron/ (shell): no sandbox; raw IPC and keytar only in their one file each.
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/core/**'],
    rules: { 'no-restricted-imports': ['error', { paths: rawIpc(null), patterns: [SANDBOX, { group: ['**/renderer/**'], message: 'Main must not import renderer code.' }] }] },
  },
  { files: ['electron/ipc/register.ts'], rules: { 'no-restricted-imports': ['error', { paths: rawIpc('ipcMain'), patterns: [SANDBOX] }] } },
  { files: ['electron/preload.ts'], rules: { 'no-restricted-imports': ['error', { paths: rawIpc('ipcRenderer'), patterns: [SANDBOX] }] } },
  // electron/core/: runs in plain Node, so never `electron`, nor the shell files that import it (see coreRules).
  ...[1, 2, 3, 4].map((depth) => ({ files: [`electron/core/${'*/'.repeat(depth - 1)}*.ts`], rules: coreRules(depth, false) })),
  { files: ['electron/core/auth/token-vault.ts'], rules: coreRules(2, true) },
  // sandbox/: a stand-in for a remote service; imports nothing from the app.
  {
    files: ['sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The sandbox is not part of the app.' }],
          patterns: [{ group: ['**/shared/**', '**/electron/**', '**/renderer/**'], message: 'The sandbox imports nothing from the app.' }],
        },
      ],
    },
  },
);
