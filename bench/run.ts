// `npm run bench`: runs every bench/*.bench.ts in turn (each prints ratios measured side by side in one run) and writes
// bench/results.json: one {"bench","value","unit","goal","pass","machine"} per measured goal, plus the human tables above.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './support/report';

const dir = fileURLToPath(new URL('.', import.meta.url));
const RESULTS = join(dir, 'results.json');
const only = process.argv[2];
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
if (benches.length === 0) {
  console.log(only ? `no benchmark matches "${only}"` : 'no benchmarks in bench/ yet');
}
const work = mkdtempSync(join(tmpdir(), 'pc-bench-results-'));
const lines = join(work, 'results.jsonl');
writeFileSync(lines, '');
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${file}`], { stdio: 'inherit', env: { ...process.env, BENCH_RESULTS_FILE: lines } });
  if (r.status !== 0) failed++;
}
const fresh = readFileSync(lines, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as BenchResult);
rmSync(work, { recursive: true, force: true });
// A partial run (`npm run bench -- fanout`) replaces only the lines of the goals it measured.
const kept = only && existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchResult[]).filter((old) => !fresh.some((f) => f.bench === old.bench)) : [];
const all = [...kept, ...fresh];
if (fresh.length > 0) writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
console.log(`\n== goals (${RESULTS})`);
for (const r of all) console.log(`${r.pass ? 'PASS' : 'MISS'}  ${r.bench.padEnd(24)} ${String(r.value).padStart(10)} ${r.unit.padEnd(10)} goal ${r.goal}`);
process.exit(failed ? 1 : 0);
