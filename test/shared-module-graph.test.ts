// Unit and integration files share one module graph (vitest isolate: false), so every file that mocks `electron` must use
// the same stand-in: two different mocks make whichever file loads first decide for all (seen as order-dependent failures).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TEST_ROOT = fileURLToPath(new URL('.', import.meta.url));

async function testFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'fixtures') out.push(...(await testFiles(path)));
    else if (entry.isFile() && entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('module mocks in the shared module graph', () => {
  it("every vi.mock('electron') uses test/electron/fake-electron.ts", async () => {
    const mocks: string[] = [];
    for (const file of await testFiles(TEST_ROOT)) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/vi\.mock\(\s*['"]electron['"]\s*,([^\n]*)/g)) mocks.push(`${relative(TEST_ROOT, file)}: ${match[1]!.trim()}`);
    }
    expect(mocks.length).toBeGreaterThanOrEqual(2);
    for (const mock of mocks) expect(mock).toMatch(/\(\) => import\('(\.\.?\/)+(electron\/)?fake-electron'\)\);$/);
  });

  it('no file mocks any other module', async () => {
    const others: string[] = [];
    for (const file of await testFiles(TEST_ROOT)) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/vi\.mock\(\s*['"]([^'"]+)['"]/g)) if (match[1] !== 'electron') others.push(`${relative(TEST_ROOT, file)}: ${match[1]}`);
    }
    expect(others).toEqual([]);
  });
});
