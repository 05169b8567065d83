// electron-builder.yml through electron-builder's public API: its own validation, the product settings, and a real Linux
// build (unpacked app, AppImage/deb/rpm stopped before their external tools) of a stand-in app directory.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { listPackage } from '@electron/asar';
import { Arch, build, Packager, Platform, type Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_SCHEME } from '../../electron/core/config';

const ROOT = resolve(import.meta.dirname, '../..');
const CONFIG_FILE = join(ROOT, 'electron-builder.yml');

type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  productName: string;
  description: string;
  homepage?: string;
  author?: { name?: string; email?: string };
  scripts: Record<string, string>;
};
const ELECTRON_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

/** Loads and validates a configuration the way `electron-builder` does before building. */
async function validated(config: string | Configuration): Promise<Config> {
  const packager = new Packager({ projectDir: ROOT, config });
  await packager.validateConfig();
  return packager.config as Config;
}

let config: Config;
beforeAll(async () => {
  config = await validated(CONFIG_FILE);
}, 60_000);

describe('electron-builder.yml against electron-builder 26', () => {
  it('passes electron-builder’s own configuration validation', () => {
    expect(config.appId).toBeDefined();
  });

  it('the validator does reject a misspelled option (so the check above means something)', async () => {
    await expect(validated({ ...config, mac: { ...config.mac, hardendRuntime: true } })).rejects.toThrow(/configuration\.mac/);
  });
});

describe('product settings', () => {
  it('identifies the app and registers the sign-in scheme the shell uses', () => {
    expect(config.appId).toBe('com.partnerconsole.desktop');
    expect(config.productName).toBe(pkg.productName);
    const schemes = (config.protocols as Array<{ schemes: string[] }>).flatMap((p) => p.schemes);
    expect(schemes).toEqual([CUSTOM_SCHEME]);
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
});

/**
 * A stand-in app directory: this repository's layout (every top-level entry, plus the usual suspects) with placeholder
 * files, the built app's files, this package.json with keytar as its only dependency, and a stand-in Electron
 * distribution (the real zip cannot be downloaded here, so fuses, which patch the real binary, are left out).
 */
function standInApp(dir: string): { appDir: string; electronDist: string } {
  const appDir = join(dir, 'app');
  const top = readdirSync(ROOT, { withFileTypes: true }).filter((e) => !['node_modules', '.git', 'dist', 'package.json'].includes(e.name));
  const files = [
    ...top.map((e) => (e.isDirectory() ? `${e.name}/placeholder.ts` : e.name)),
    'dist/electron/main.cjs',
    'dist/electron/main.cjs.map',
    'dist/electron/preload.cjs',
    'dist/renderer/index.html',
    'dist/renderer/assets/index-abc123.js',
    'dist/renderer/assets/index-abc123.js.map',
    'dist/renderer/assets/index-abc123.css',
    'release/Partner Console-0.1.0.AppImage',
    'release/linux-unpacked/partner-console',
    'node_modules/keytar/lib/keytar.js',
    'node_modules/keytar/build/Release/keytar.node',
  ];
  for (const file of files) {
    mkdirSync(dirname(join(appDir, file)), { recursive: true });
    writeFileSync(join(appDir, file), `// ${file}\n`);
  }
  const { devDependencies: _dev, dependencies: _deps, ...meta } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ ...meta, dependencies: { keytar: '7.9.0' } }));
  writeFileSync(join(appDir, 'node_modules/keytar/package.json'), JSON.stringify({ name: 'keytar', version: '7.9.0', main: 'lib/keytar.js' }));
  const electronDist = join(dir, 'electron-dist');
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
  chmodSync(join(electronDist, 'electron'), 0o755);
  return { appDir, electronDist };
}

describe('a Linux build (electron-builder’s build(), public API)', () => {
  let dir: string;
  let resources: string;
  let packed: string[];
  let appImageDesktop: string;
  let debDesktop: string;
  const fpmArgs = new Map<string, string[]>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pc-builder-'));
    const { appDir, electronDist } = standInApp(dir);
    const output = join(dir, 'release');
    await build({
      projectDir: appDir,
      targets: Platform.LINUX.createTarget(['AppImage', 'deb', 'rpm'], Arch.x64),
      config: { extends: CONFIG_FILE, electronDist, electronVersion: ELECTRON_VERSION, npmRebuild: false, electronFuses: null, directories: { output, buildResources: join(ROOT, 'build') } } as Configuration,
      publish: 'never',
      // Each target hands over what it computed and stops before running its external tool (appimagetool, fpm).
      effectiveOptionComputed: async (computed: unknown) => {
        if (computed && typeof computed === 'object' && 'desktop' in computed) appImageDesktop = String(computed.desktop);
        else if (Array.isArray(computed)) {
          const [args, desktopFile] = computed as [string[], string];
          fpmArgs.set(extname(args[args.indexOf('--package') + 1] ?? '').slice(1), args);
          debDesktop ??= readFileSync(desktopFile, 'utf8');
        }
        return true;
      },
    });
    resources = join(output, 'linux-unpacked', 'resources');
    packed = listPackage(join(resources, 'app.asar'), { isPack: false })
      .map((entry) => entry.replace(/^[\\/]/, '').split('\\').join('/'))
      .sort();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('packs the built app, package.json and the production dependency into app.asar: no sources, tests, maps, sandbox, benchmarks or earlier releases', () => {
    const files = packed.filter((entry) => /\.[a-z]+$/.test(entry));
    expect(files).toEqual([
      'dist/electron/main.cjs',
      'dist/electron/preload.cjs',
      'dist/renderer/assets/index-abc123.css',
      'dist/renderer/assets/index-abc123.js',
      'dist/renderer/index.html',
      'node_modules/keytar/build/Release/keytar.node',
      'node_modules/keytar/lib/keytar.js',
      'node_modules/keytar/package.json',
      'package.json',
    ]);
    expect(packed).toContain(pkg.main);
  });

  it('keeps keytar’s native module outside the archive (loadable), and the app itself inside it', () => {
    const unpacked = join(resources, 'app.asar.unpacked');
    expect(existsSync(join(unpacked, 'node_modules/keytar/build/Release/keytar.node'))).toBe(true);
    expect(existsSync(join(unpacked, 'dist'))).toBe(false);
  });

  it('gives the deb and rpm packages the maintainer and homepage they require', () => {
    expect([...fpmArgs.keys()].sort()).toEqual(['deb', 'rpm']);
    for (const args of fpmArgs.values()) {
      expect(args[args.indexOf('--maintainer') + 1]).toBe(`${pkg.author?.name} <${pkg.author?.email}>`);
      expect(args[args.indexOf('--url') + 1]).toBe(pkg.homepage);
    }
  });

  const field = (entry: string, name: string) => entry.split('\n').find((l) => l.startsWith(`${name}=`))?.slice(name.length + 1);

  it('declares the sign-in scheme once as an x-scheme-handler and passes the link as %U (AppImage and deb/rpm entries)', () => {
    for (const entry of [appImageDesktop, debDesktop]) {
      expect(field(entry, 'MimeType')).toBe(`x-scheme-handler/${CUSTOM_SCHEME};`);
      expect(field(entry, 'Exec')).toMatch(/ %U$/);
    }
  });

  it('writes valid desktop entries with no errors, warnings or hints (desktop-file-validate)', (ctx) => {
    const probe = spawnSync('desktop-file-validate', ['--help'], { encoding: 'utf8' });
    if (probe.error) ctx.skip('desktop-file-validate is not installed (apt-get install desktop-file-utils)');
    for (const [name, entry] of [['appimage', appImageDesktop], ['deb', debDesktop]] as const) {
      const file = join(dir, `partner-console-${name}.desktop`);
      writeFileSync(file, entry);
      const r = spawnSync('desktop-file-validate', [file], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`.trim(), name).toBe('');
      expect(r.status, name).toBe(0);
    }
  });
});
