// electron/linux-desktop-entry.ts: the AppImage's own URL-scheme handler entry, checked with desktop-file-validate and launched by GLib.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DESKTOP_FILE_NAME, desktopEntry, ensureAppImageDesktopEntry, quoteExecArgument } from '../../electron/linux-desktop-entry';

const run = promisify(execFile);
const SCHEME = 'com.partnerconsole.desktop';
const has = async (tool: string) => run('sh', ['-c', `command -v ${tool}`]).then(() => true, () => false);
const [hasValidator, hasGio] = await Promise.all([has('desktop-file-validate'), has('gio')]);

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'pc-desktop-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** A stand-in "AppImage": a script that records the arguments the desktop launched it with. */
async function fakeAppImage(dir: string): Promise<{ path: string; argv: () => Promise<string[]> }> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'Partner "Console".AppImage');
  const out = join(home, 'argv.txt');
  await writeFile(path, `#!/bin/sh\nprintf '%s\\n' "$@" > '${out}'\n`);
  await chmod(path, 0o755);
  return {
    path,
    argv: async () => {
      for (let i = 0; i < 100; i++) {
        const text = await readFile(out, 'utf8').catch(() => null);
        if (text) return text.trimEnd().split('\n');
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the desktop entry never started the AppImage');
    },
  };
}

describe('quoteExecArgument', () => {
  it('leaves plain paths alone and quotes reserved characters per the Desktop Entry spec', () => {
    expect(quoteExecArgument('/opt/Partner.AppImage')).toBe('/opt/Partner.AppImage');
    expect(quoteExecArgument('/home/a b/P.AppImage')).toBe('"/home/a b/P.AppImage"');
    expect(quoteExecArgument('/x/$y/"z"')).toBe('"/x/\\\\$y/\\\\"z\\\\""');
    expect(quoteExecArgument('/x\\y')).toBe('"/x\\\\\\\\y"');
  });
  it('refuses % and control characters instead of writing an entry that cannot launch', () => {
    expect(() => quoteExecArgument('/x/100%/P.AppImage')).toThrow(/no desktop entry was written/);
    expect(() => quoteExecArgument('/x/a\nExec=evil')).toThrow(/no desktop entry was written/);
  });
});

describe('ensureAppImageDesktopEntry', () => {
  it('does nothing outside an AppImage or off Linux', async () => {
    expect(await ensureAppImageDesktopEntry(SCHEME, 'Partner Console', { env: { HOME: home }, platform: 'linux' })).toEqual({ status: 'not-appimage' });
    expect(await ensureAppImageDesktopEntry(SCHEME, 'Partner Console', { env: { HOME: home, APPIMAGE: '/a' }, platform: 'darwin' })).toEqual({ status: 'not-appimage' });
  });

  it('writes the entry under XDG_DATA_HOME, registers it as the scheme default once, and leaves it alone when unchanged', async () => {
    const defaults: string[] = [];
    const deps = {
      env: { HOME: home, XDG_DATA_HOME: join(home, 'data'), APPIMAGE: join(home, 'Apps', 'Partner Console.AppImage') },
      platform: 'linux' as const,
      setDefault: async (file: string, mime: string) => void defaults.push(`${file} ${mime}`),
    };
    const first = await ensureAppImageDesktopEntry(SCHEME, 'Partner Console', deps);
    expect(first).toEqual({ status: 'written', path: join(home, 'data', 'applications', DESKTOP_FILE_NAME) });
    expect(await readFile(join(home, 'data', 'applications', DESKTOP_FILE_NAME), 'utf8')).toContain(`MimeType=x-scheme-handler/${SCHEME};`);
    expect(await ensureAppImageDesktopEntry(SCHEME, 'Partner Console', deps)).toMatchObject({ status: 'unchanged' });
    const moved = await ensureAppImageDesktopEntry(SCHEME, 'Partner Console', { ...deps, env: { ...deps.env, APPIMAGE: join(home, 'P2.AppImage') } });
    expect(moved.status).toBe('written');
    expect(defaults).toEqual([`${DESKTOP_FILE_NAME} x-scheme-handler/${SCHEME}`, `${DESKTOP_FILE_NAME} x-scheme-handler/${SCHEME}`]);
  });

  it.skipIf(!hasValidator)('passes desktop-file-validate (needs desktop-file-utils)', async () => {
    const file = join(home, 'entry.desktop');
    await writeFile(file, desktopEntry(join(home, 'my apps', 'a$b"c\\d.AppImage'), SCHEME, 'Partner Console'));
    const { stdout, stderr } = await run('desktop-file-validate', [file]);
    expect(`${stdout}${stderr}`).toBe('');
  });

  it.skipIf(!hasGio)('GLib launches the AppImage from the entry with the sign-in link as its one argument (needs gio)', async () => {
    const app = await fakeAppImage(join(home, 'my $apps`'));
    const file = join(home, 'entry.desktop');
    await writeFile(file, desktopEntry(app.path, SCHEME, 'Partner Console'));
    const link = `${SCHEME}:/oauth2/callback?code=abc&state=x%20y`;
    await run('gio', ['launch', file, link], { timeout: 10_000 });
    expect(await app.argv()).toEqual([link]);
  });
});
