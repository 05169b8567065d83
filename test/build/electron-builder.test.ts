// electron-builder.yml: valid by electron-builder's own loader + schema, and right for this product (files, asar, scheme, mac, linux, fuses).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_SCHEME } from '../../electron/core/config';

const ROOT = resolve(import.meta.dirname, '../..');
const CONFIG_FILE = join(ROOT, 'electron-builder.yml');
const require = createRequire(import.meta.url);

type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Filter = (file: string, stat: Stats) => boolean;
interface Matcher {
  createFilter(): Filter;
}
// electron-builder's own modules (app-builder-lib is what the electron-builder CLI runs).
const configLib = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Config>;
  validateConfiguration(config: Config, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const fileMatcher = require('app-builder-lib/out/fileMatcher') as {
  getMainFileMatchers(appDir: string, dest: string, expand: (s: string) => string, platformOptions: object, packager: object, outDir: string, isElectronCompile: boolean): Matcher[];
  getFileMatchers(config: Config, name: string, dest: string, options: object): Matcher[] | null;
};
const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper') as {
  LinuxTargetHelper: new (packager: object) => { computeDesktopEntry(options: object): Promise<string> };
};

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  productName: string;
  description: string;
  homepage?: string;
  author?: { name?: string; email?: string };
  scripts: Record<string, string>;
};
const validate = (config: Config) => configLib.validateConfiguration(config, { isEnabled: false, add() {} });
const identity = (s: string) => s;
const fileStat = { isDirectory: () => false, isFile: () => true } as Stats;
const dirStat = { isDirectory: () => true, isFile: () => false } as Stats;

let config: Config;
beforeAll(async () => {
  config = await configLib.getConfig(ROOT, CONFIG_FILE, null);
});

/** The filter electron-builder applies when copying the app directory `appDir` into the package. */
function appFilesFilter(appDir: string): Filter {
  const packager = {
    info: { projectDir: appDir, buildResourcesDir: resolve(appDir, config.directories.buildResources), isPrepackedAppAsar: false, config, debugLogger: { isEnabled: false } },
  };
  const [matcher] = fileMatcher.getMainFileMatchers(appDir, '/out/resources/app', identity, {}, packager, join(appDir, config.directories.output), false);
  return matcher!.createFilter();
}

/** Walks `dir` the way electron-builder's copier does: a directory the filter refuses is not entered. */
function packagedFiles(appDir: string, filter: Filter, dir = appDir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const stat = statSync(full);
    if (!filter(full, stat)) continue;
    if (stat.isDirectory()) out.push(...packagedFiles(appDir, filter, full));
    else out.push(relative(appDir, full).split('\\').join('/'));
  }
  return out.sort();
}

describe('electron-builder.yml against electron-builder 26', () => {
  it('passes electron-builder’s own configuration validation', async () => {
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it('the validator does reject a misspelled option (so the check above means something)', async () => {
    await expect(validate({ ...config, mac: { ...config.mac, hardendRuntime: true } })).rejects.toThrow(/configuration\.mac/);
  });
});

describe('product settings', () => {
  it('identifies the app and registers the sign-in scheme the shell uses', () => {
    expect(config.appId).toBe('com.partnerconsole.desktop');
    expect(config.productName).toBe(pkg.productName);
    const schemes = (config.protocols as Array<{ schemes: string[] }>).flatMap((p) => p.schemes);
    expect(schemes).toEqual([CUSTOM_SCHEME]);
  });

  it('packs the app into an asar archive and unpacks only native modules (keytar)', () => {
    expect(config.asar).toBe(true);
    const appDir = '/project';
    const [unpack] = fileMatcher.getFileMatchers(config, 'asarUnpack', '/out', { macroExpander: identity, customBuildOptions: {}, globalOutDir: '/project/release', defaultSrc: appDir }) ?? [];
    const unpacked = unpack!.createFilter();
    expect(unpacked(join(appDir, 'node_modules/keytar/build/Release/keytar.node'), fileStat)).toBe(true);
    expect(unpacked(join(appDir, 'node_modules/keytar/lib/keytar.js'), fileStat)).toBe(false);
    expect(unpacked(join(appDir, 'dist/electron/main.cjs'), fileStat)).toBe(false);
  });

  it('signs macOS builds with the hardened runtime and an entitlements file that exists and grants only JIT', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    for (const key of ['entitlements', 'entitlementsInherit']) {
      const file = join(ROOT, config.mac[key]);
      expect(existsSync(file), `${key}: ${file}`).toBe(true);
      const keys = [...readFileSync(file, 'utf8').matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
      expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
    }
  });

  it('turns the Electron fuses the design asks for', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('has an `npm run dist` that builds first and then packages with this file', () => {
    expect(pkg.scripts.dist).toMatch(/^npm run build && electron-builder --config electron-builder\.yml\b/);
    expect(pkg.scripts.build).toBeDefined();
    expect(pkg.main.startsWith('dist/')).toBe(true);
  });

  it('has the homepage and maintainer e-mail that the deb and rpm targets require', () => {
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author?.name).toBeTruthy();
    expect(pkg.author?.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });
});

describe('packaged files', () => {
  let appDir: string;
  const layout = [
    'package.json',
    'electron-builder.yml',
    'README.md',
    'tsconfig.json',
    'dist/electron/main.cjs',
    'dist/electron/main.cjs.map',
    'dist/electron/preload.cjs',
    'dist/renderer/index.html',
    'dist/renderer/assets/index-abc123.js',
    'dist/renderer/assets/index-abc123.js.map',
    'dist/renderer/assets/index-abc123.css',
    'electron/main.ts',
    'electron/core/app-core.ts',
    'shared/ipc-contract.ts',
    'renderer/index.html',
    'renderer/src/App.tsx',
    'test/electron/main.test.ts',
    'test/fixtures/lint/x.ts',
    'sandbox/cli.ts',
    'bench/run.ts',
    'scripts/start.mjs',
    'docs/screenshots/x.png',
    'build/entitlements.mac.plist',
    'release/Partner Console-0.1.0.AppImage',
    'release/linux-unpacked/partner-console',
    'node_modules/keytar/package.json',
  ];
  beforeAll(() => {
    appDir = mkdtempSync(join(tmpdir(), 'pc-builder-files-'));
    for (const file of layout) {
      mkdirSync(dirname(join(appDir, file)), { recursive: true });
      writeFileSync(join(appDir, file), '');
    }
  });
  afterAll(() => rmSync(appDir, { recursive: true, force: true }));

  it('are the built app and package.json only: no sources, tests, maps, sandbox, benchmarks or earlier releases', () => {
    expect(packagedFiles(appDir, appFilesFilter(appDir))).toEqual([
      'dist/electron/main.cjs',
      'dist/electron/preload.cjs',
      'dist/renderer/assets/index-abc123.css',
      'dist/renderer/assets/index-abc123.js',
      'dist/renderer/index.html',
      'package.json',
    ]);
  });

  it('include the entry point package.json names', () => {
    expect(appFilesFilter(appDir)(join(appDir, pkg.main), fileStat)).toBe(true);
  });

  it('in this repository, nothing outside dist/ and package.json would be packed', () => {
    const filter = appFilesFilter(ROOT);
    const leaked = packagedFiles(ROOT, filter).filter((f) => f !== 'package.json' && !f.startsWith('dist/'));
    expect(leaked).toEqual([]);
    expect(filter(join(ROOT, 'electron'), dirStat)).toBe(false);
  });
});

describe('Linux desktop entry', () => {
  let entry: string;
  beforeAll(async () => {
    const packager = {
      appInfo: { productName: config.productName, sanitizedProductName: config.productName, description: pkg.description },
      executableName: 'partner-console',
      info: { metadata: {} },
      fileAssociations: [],
      config,
      platformSpecificBuildOptions: config.linux,
    };
    entry = await new LinuxTargetHelper(packager).computeDesktopEntry(config.linux);
  });
  const field = (name: string) => entry.split('\n').find((l) => l.startsWith(`${name}=`))?.slice(name.length + 1);

  it('declares the sign-in scheme once as an x-scheme-handler and passes the link as %U', () => {
    expect(field('MimeType')).toBe(`x-scheme-handler/${CUSTOM_SCHEME};`);
    expect(field('Exec')).toMatch(/ %U$/);
  });

  it('is a valid desktop entry with no errors, warnings or hints (desktop-file-validate)', (ctx) => {
    const probe = spawnSync('desktop-file-validate', ['--help'], { encoding: 'utf8' });
    if (probe.error) ctx.skip('desktop-file-validate is not installed (apt-get install desktop-file-utils)');
    const dir = mkdtempSync(join(tmpdir(), 'pc-desktop-'));
    try {
      const file = join(dir, 'partner-console.desktop');
      writeFileSync(file, entry);
      const r = spawnSync('desktop-file-validate', [file], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
