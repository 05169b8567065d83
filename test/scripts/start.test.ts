// `npm start` without an Electron binary: one clear line with the fix, non-zero exit, no stack trace.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm start without the Electron binary', () => {
  it('says so in one line and exits 1', () => {
    const r = spawnSync(process.execPath, ['scripts/start.mjs'], {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Electron binary not found/);
    expect(lines[0]).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
