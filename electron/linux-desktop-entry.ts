// AppImage on Linux: writes the user's own .desktop entry for the sign-in URL scheme, since setAsDefaultProtocolClient cannot.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const DESKTOP_FILE_NAME = 'com.partnerconsole.desktop-handler.desktop';

/** Quotes one Exec argument per the Desktop Entry spec (then escapes backslashes once more for the string value). */
export function quoteExecArgument(arg: string): string {
  // The spec's %% escape is not understood by GLib's program lookup, so a path with % could never launch.
  if (/[\n\r\t%]/.test(arg)) throw new Error('The AppImage path contains a control character or %; no desktop entry was written.');
  if (!/[\s"'\\><~|&;$*?#()`=]/.test(arg)) return arg;
  const inner = arg.replace(/["`$\\]/g, (c) => `\\${c}`);
  return `"${inner.replace(/\\/g, '\\\\')}"`;
}

/** The .desktop file that makes the OS start this AppImage with the link as its argument. */
export function desktopEntry(appImagePath: string, scheme: string, productName: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${productName}`,
    `Exec=${quoteExecArgument(appImagePath)} %u`,
    'Terminal=false',
    'NoDisplay=true',
    `MimeType=x-scheme-handler/${scheme};`,
    '',
  ].join('\n');
}

export interface DesktopEntryDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  /** Runs `xdg-mime default <file> x-scheme-handler/<scheme>`; resolves even if xdg-mime is missing. */
  readonly setDefault?: (fileName: string, mimeType: string) => Promise<void>;
}

export type DesktopEntryOutcome = { readonly status: 'not-appimage' } | { readonly status: 'unchanged' | 'written'; readonly path: string };

const runXdgMime = async (fileName: string, mimeType: string): Promise<void> => {
  await promisify(execFile)('xdg-mime', ['default', fileName, mimeType], { timeout: 5_000 }).catch(() => undefined);
};

/** Writes (atomically) or refreshes the entry when running from an AppImage; other installs get theirs from the package. */
export async function ensureAppImageDesktopEntry(scheme: string, productName: string, deps: DesktopEntryDeps): Promise<DesktopEntryOutcome> {
  const appImage = deps.env['APPIMAGE'];
  if (deps.platform !== 'linux' || !appImage) return { status: 'not-appimage' };
  const dataHome = deps.env['XDG_DATA_HOME'] || join(deps.env['HOME'] || homedir(), '.local', 'share');
  const dir = join(dataHome, 'applications');
  const path = join(dir, DESKTOP_FILE_NAME);
  const contents = desktopEntry(appImage, scheme, productName);
  const existing = await readFile(path, 'utf8').catch(() => null);
  if (existing === contents) return { status: 'unchanged', path };
  await mkdir(dir, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, contents, { mode: 0o644 });
  await rename(temp, path);
  await (deps.setDefault ?? runXdgMime)(DESKTOP_FILE_NAME, `x-scheme-handler/${scheme}`);
  return { status: 'written', path };
}
