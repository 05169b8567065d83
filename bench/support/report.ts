// Benchmark output: aligned tables, one `ratio:` line per comparison, a wrong-side check, a watchdog so a run always ends, and
// the machine-readable results against the issue's goals (collected by bench/run.ts into bench/results.json).
import { appendFileSync } from 'node:fs';

export type Cell = string | number;

/** Prints rows as an aligned table (first row's keys are the columns). */
export function printTable(rows: ReadonlyArray<Record<string, Cell>>): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const text = (v: Cell | undefined): string => (v === undefined ? '' : typeof v === 'number' ? fmt(v) : v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(columns.map((c) => text(r[c]))));
}

/** Numbers for tables: integers with separators, small values with 2–3 significant decimals. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const ms = (n: number): string => `${fmt(n)} ms`;
export const kib = (bytes: number): string => `${fmt(bytes / 1024)} KiB`;
export const mib = (bytes: number): string => `${fmt(bytes / (1024 * 1024))} MiB`;

/**
 * Which side of 1 a ratio should be on. The benchmark fails (exit 1) only when the ratio is on the wrong side by more than
 * WRONG_SIDE_FACTOR (2×): e.g. an expected speed-up that turns into a 2× slow-down. Noise on a shared machine moves ratios
 * by tens of percent, not by 2× the wrong way; such a result means the property being measured is broken. `info` ratios
 * are printed and never checked.
 */
export type Expect = 'above-1' | 'below-1' | 'info';
export const WRONG_SIDE_FACTOR = 2;

const failures: string[] = [];

/** Prints `ratio: <label> = <value>x (<note>)` and records a wrong-side result. */
export function ratio(label: string, value: number, expect: Expect, note = ''): void {
  const shown = Number.isFinite(value) ? `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)}x` : String(value);
  const want = expect === 'above-1' ? 'expect > 1' : expect === 'below-1' ? 'expect < 1' : 'info';
  console.log(`ratio: ${label} = ${shown} (${want}${note ? `; ${note}` : ''})`);
  if (expect === 'above-1' && !(value >= 1 / WRONG_SIDE_FACTOR)) failures.push(`${label} = ${shown}, expected > 1 (fails below ${1 / WRONG_SIDE_FACTOR})`);
  if (expect === 'below-1' && !(value <= WRONG_SIDE_FACTOR)) failures.push(`${label} = ${shown}, expected < 1 (fails above ${WRONG_SIDE_FACTOR})`);
}

/** Call last: sets the exit code from the wrong-side checks. */
export function finish(): void {
  if (failures.length === 0) return;
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exitCode = 1;
}

/**
 * Ends the process with code 2 if the benchmark has not finished after `limitMs`: every benchmark stops by itself.
 * `cleanup` runs first (best effort, 5 s at most), e.g. to close a browser.
 */
export function watchdog(name: string, limitMs: number, cleanup?: () => Promise<unknown>): void {
  setTimeout(() => {
    console.error(`${name}: still running after ${limitMs} ms; stopping.`);
    const hardStop = setTimeout(() => process.exit(2), 5_000);
    hardStop.unref();
    void Promise.resolve(cleanup?.())
      .catch(() => undefined)
      .finally(() => process.exit(2));
  }, limitMs).unref();
}

export function header(title: string, details: string[]): void {
  console.log(title);
  for (const d of details) console.log(`  ${d}`);
  console.log('');
}

/** Machine facts printed with every benchmark, because the figures are only meaningful side by side. */
export async function machine(): Promise<string> {
  const os = await import('node:os');
  return `node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model.trim() ?? ''}, load avg ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join('/')} (shared machine: compare ratios, not absolute times)`;
}

/** One line of bench/results.json: a measured figure against its goal, and the machine it was measured on. */
export interface BenchResult {
  readonly bench: string;
  readonly value: number;
  readonly unit: string;
  /** The goal in words, e.g. "< 500 ms", ">= 0.8x", "= 0". */
  readonly goal: string;
  readonly pass: boolean;
  readonly machine: string;
  /** What was measured, in a few words. */
  readonly note?: string;
}

/** Short machine description for each result line (CPU count and model, Node, load average when measured). */
export async function machineTag(): Promise<string> {
  const os = await import('node:os');
  return `${os.cpus().length}x ${os.cpus()[0]?.model.trim() ?? 'cpu'}, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`;
}

/**
 * Prints `result: <bench> = <value> <unit> (goal <goal>: PASS | MISS)` and appends the line to $BENCH_RESULTS_FILE (JSON
 * lines) when bench/run.ts set it. A missed goal is reported, not an exit code: the ratio checks above are the crash test.
 */
export async function result(bench: string, value: number, unit: string, goal: string, pass: boolean, note?: string): Promise<BenchResult> {
  const line: BenchResult = { bench, value: Number(value.toFixed(value >= 100 ? 0 : 3)), unit, goal, pass, machine: await machineTag(), ...(note ? { note } : {}) };
  console.log(`result: ${bench} = ${fmt(line.value)} ${unit} (goal ${goal}: ${pass ? 'PASS' : 'MISS'}) [${line.machine}]${note ? ` ${note}` : ''}`);
  const file = process.env['BENCH_RESULTS_FILE'];
  if (file) appendFileSync(file, `${JSON.stringify(line)}\n`);
  return line;
}

export const sleep = (msDelay: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msDelay));

/** Runs `fn` and returns its value and wall time in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
