// app:// file resolution: serves only files under the renderer root, with the right MIME type.
import fc from 'fast-check';
import { resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRendererFile } from '../../../electron/core/renderer-files';

const ROOT = resolve('/opt/partner-console/renderer');

describe('resolveRendererFile', () => {
  it('maps the root to index.html and assets to their files with MIME types', () => {
    expect(resolveRendererFile('app://partner-console/', ROOT)).toEqual({ path: `${ROOT}${sep}index.html`, mime: 'text/html; charset=utf-8' });
    expect(resolveRendererFile('app://partner-console/assets/index-abc.js', ROOT)?.mime).toBe('text/javascript; charset=utf-8');
    expect(resolveRendererFile('app://partner-console/assets/index.css?v=1', ROOT)?.path).toBe(`${ROOT}${sep}assets${sep}index.css`);
  });

  it('normalises dot segments inside the root instead of climbing out', () => {
    expect(resolveRendererFile('app://partner-console/../../etc/passwd.txt', ROOT)?.path).toBe(`${ROOT}${sep}etc${sep}passwd.txt`);
    expect(resolveRendererFile('app://partner-console/%2e%2e/%2e%2e/etc/passwd.txt', ROOT)?.path).toBe(`${ROOT}${sep}etc${sep}passwd.txt`);
  });

  it.each([
    'app://partner-console/..%2f..%2fsecret.json',
    'app://partner-console/a%5c..%5c..%5csecret.json',
    'app://partner-console/x%00.js',
    'app://other-host/index.html',
    'https://partner-console/index.html',
    'app://partner-console/%E0%A4%A',
    'app://partner-console/run.exe',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveRendererFile(url, ROOT)).toBeNull();
  });

  it('never resolves outside the root, whatever the path (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('..', '.', '%2e%2e', 'a', 'assets', '%2f', '', 'index.html', 'x.js'), { maxLength: 8 }), (parts) => {
        const file = resolveRendererFile(`app://partner-console/${parts.join('/')}`, ROOT);
        return file === null || file.path.startsWith(ROOT + sep);
      }),
      { numRuns: 2000 },
    );
  });
});
