// The real OS keychain: keytar against gnome-keyring in a private dbus-run-session, and the no-keychain path.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const CHILD = 'test/electron/core/auth/keychain-child.ts';
const hasDbus = spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon']).status === 0;

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(command, args, { env, encoding: 'utf8', timeout: 90_000 });
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (!line) throw new Error(`child produced no result (status ${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(line) as {
    first: { ok: boolean; value?: { status: string; persisted?: boolean; persistenceIssue?: string } };
    storedAfterSignIn: string[] | string;
    restored: { ok: boolean; value: { status: string; subject?: string } };
    storedAfterSignOut: string[] | string;
  };
}

describe('keychain', () => {
  it.skipIf(!hasDbus)('round-trips through gnome-keyring: stored on sign-in, restored on restart, removed on sign-out', () => {
    const script = `echo -n test-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec node --import tsx ${CHILD}`;
    const { DISPLAY: _d, DBUS_SESSION_BUS_ADDRESS: _b, ...env } = process.env;
    const r = runChild('dbus-run-session', ['--', 'sh', '-c', script], env);
    expect(r.first.ok).toBe(true);
    expect(r.first.value).toMatchObject({ status: 'signedIn', persisted: true });
    expect(r.storedAfterSignIn).toEqual(['op-7c1e2a']);
    expect(r.restored.value).toMatchObject({ status: 'signedIn', subject: 'op-7c1e2a' });
    expect(r.storedAfterSignOut).toEqual([]);
  });

  it('with no D-Bus session, sign-in still works and reports persisted: false with the reason', () => {
    // No session bus and no X11 display to autolaunch one: libsecret fails with "Cannot autolaunch D-Bus".
    const { DISPLAY: _d, DBUS_SESSION_BUS_ADDRESS: _b, ...env } = process.env;
    const r = runChild(process.execPath, ['--import', 'tsx', CHILD], env);
    expect(r.first.ok).toBe(true);
    expect(r.first.value).toMatchObject({ status: 'signedIn', persisted: false });
    // The Secret Service reason, not just any keychain message ("module not available" would also say "keychain").
    expect(r.first.value?.persistenceIssue).toBe('No system keychain (Secret Service) is running, so the session is not kept after you quit.');
    expect(r.restored.value.status).toBe('signedOut');
  });
});
