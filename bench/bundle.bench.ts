// Renderer bundle size: the production build (renderer/vite.config.ts, built into a temporary directory) in bytes and gzip,
// and what it is made of: the same build split into one chunk per large dependency, so each dependency's minified,
// tree-shaken share can be weighed. Ratio: the whole renderer against react-dom alone.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import { finish, header, kib, machine, ms, printTable, ratio, result, watchdog } from './support/report';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Asset {
  readonly name: string;
  readonly bytes: number;
  readonly gzip: number;
}

async function filesUnder(dir: string): Promise<Asset[]> {
  const out: Asset[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const body = await readFile(path);
    out.push({ name: relative(dir, path), bytes: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  return out.sort((a, b) => b.gzip - a.gzip);
}

/** Dependency groups, highest priority first; a module goes to the first group whose test matches. */
const GROUPS = [
  { name: 'react', test: /node_modules[\\/]react[\\/]/, priority: 60 },
  { name: 'react-dom', test: /node_modules[\\/](react-dom|scheduler)[\\/]/, priority: 50 },
  { name: 'zod', test: /node_modules[\\/]zod[\\/]/, priority: 40 },
  { name: 'tanstack-virtual', test: /node_modules[\\/]@tanstack[\\/]/, priority: 30 },
  { name: 'other-deps', test: /node_modules[\\/]/, priority: 10 },
];

async function main(): Promise<void> {
  watchdog('bundle', 120_000);
  const started = performance.now();
  header('bundle: renderer production build, bytes and gzip (level 9)', [await machine()]);
  const work = await mkdtemp(join(tmpdir(), 'pc-bench-bundle-'));
  try {
    const configFile = join(REPO_ROOT, 'renderer', 'vite.config.ts');
    const t0 = performance.now();
    await build({ configFile, logLevel: 'warn', build: { outDir: join(work, 'prod'), emptyOutDir: true } });
    const buildMs = performance.now() - t0;
    const prod = await filesUnder(join(work, 'prod'));
    const total = prod.reduce((a, f) => ({ bytes: a.bytes + f.bytes, gzip: a.gzip + f.gzip }), { bytes: 0, gzip: 0 });
    console.log(`production build (as shipped, built in ${ms(buildMs)}):`);
    printTable([...prod, { name: 'total', ...total }].map((f) => ({ file: f.name, bytes: kib(f.bytes), gzip: kib(f.gzip) })));

    // The same build, split by dependency (analysis only: one chunk per group, the app's own code in the entry chunk).
    const output = await build({
      configFile,
      logLevel: 'silent',
      build: { outDir: join(work, 'split'), emptyOutDir: true, write: false, rolldownOptions: { output: { codeSplitting: { groups: GROUPS } } } },
    });
    const bundles = (Array.isArray(output) ? output : [output]) as Rolldown.RolldownOutput[];
    const chunks: Array<Asset & { modules: number }> = [];
    for (const item of bundles.flatMap((b) => b.output)) {
      if (item.type !== 'chunk' || !item.fileName.endsWith('.js')) continue;
      const group = item.isEntry ? 'app code (renderer/, shared/)' : item.name === 'react-dom' ? 'react-dom (+ scheduler)' : item.name;
      chunks.push({ name: group, bytes: Buffer.byteLength(item.code), gzip: gzipSync(item.code, { level: 9 }).length, modules: Object.keys(item.modules).length });
    }
    chunks.sort((a, b) => b.gzip - a.gzip);
    const jsGzip = chunks.reduce((n, c) => n + c.gzip, 0);
    console.log('\nthe same JavaScript split by dependency:');
    printTable(chunks.map((c) => ({ chunk: c.name, modules: c.modules, bytes: kib(c.bytes), gzip: kib(c.gzip), 'share of JS gzip': `${((c.gzip / jsGzip) * 100).toFixed(1)}%` })));
    console.log('(gzip of separate chunks adds up to a little more than one chunk: each compresses on its own)\n');

    await result('bundle', total.gzip / 1024, 'KiB gzip', '<= 200 KiB', total.gzip <= 200 * 1024, 'renderer production build (JS + CSS + HTML), gzip level 9');
    const reactDom = chunks.find((c) => c.name.startsWith('react-dom'));
    if (!reactDom) throw new Error('no react-dom chunk in the split build');
    ratio('whole renderer (production build, gzip) / react-dom alone (gzip)', total.gzip / reactDom.gzip, 'info', `${kib(total.gzip)} vs ${kib(reactDom.gzip)}`);
    const zod = chunks.find((c) => c.name === 'zod');
    if (zod) ratio('zod / react-dom (gzip)', zod.gzip / reactDom.gzip, 'info', 'the renderer imports constants from shared/ modules that also build zod schemas');
    const own = chunks.find((c) => c.name.startsWith('app code'));
    if (own) ratio('app code / react-dom (gzip)', own.gzip / reactDom.gzip, 'info');
    console.log(`\nbundle: done in ${ms(performance.now() - started)}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  finish();
}

await main();
