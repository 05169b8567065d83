// Accounts list at 10,000 profiles in Chromium: the app's virtualized table (@tanstack/react-virtual) vs a plain list of the
// same rows with every row in the DOM, measured side by side in the same page.
//
// Virtualized: the real production renderer build (built fresh with renderer/vite.config.ts), signed in through its own
// sign-in view against the real core and sandbox, showing #/accounts from its store. Plain: bench/support/plain-accounts-list.ts
// (React, same markup, classes and Amount component, no virtualization), loaded into the same page and placed exactly
// over the table's box, fed the same 10,000 rows read through the same bridge. Both are timed from "show the list"
// (route change / mount) with the data already in the page, so the numbers compare rendering, not IPC.
import type { CDPSession, Page } from 'playwright-core';
import type { BalancesState } from '../shared/domain';
import { pollPage, startAppPage, type AppPage } from './support/app-page';
import { finish, fmt, header, kib, machine, mean, mib, ms, percentile, printTable, ratio, result, sleep, watchdog, type Cell } from './support/report';

const PROFILES = 10_000;
/** The small book the 10,000-profile list is compared with (render goal: first rows at most 2x slower). */
const SMALL = 100;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SCROLL_FRAMES = 120;
const SCROLL_STEP_PX = 260; // five rows a frame: a fast wheel/drag scroll
const OPERATOR = { email: 'ops@partner.test', password: 'sandbox' };
const VIRTUAL_ROWS = '[role="rowgroup"].tbody [role="row"][data-profile-id]';
const VIRTUAL_SCROLLER = '[data-testid="accounts-scroller"]';
const PLAIN_ROWS = '[data-testid="plain-scroller"] [role="row"][data-profile-id]';
const PLAIN_SCROLLER = '[data-testid="plain-scroller"]';
const AWAY = '#/session';

/** In-page helpers, as plain JS (functions passed through Playwright would carry transpiler helpers). */
const HELPERS = `window.__bm = {
  show(kind, selector) {
    return new Promise((resolve) => {
      const t0 = performance.now();
      if (kind === 'route') location.hash = '#/accounts';
      else window.__benchPlain.mount(window.__benchRows, window.__benchRect);
      const check = () => requestAnimationFrame(() => {
        if (document.querySelector(selector)) requestAnimationFrame(() => resolve(performance.now() - t0));
        else check();
      });
      check();
    });
  },
  scroll(selector, frames, step) {
    return new Promise((resolve) => {
      const el = document.querySelector(selector);
      el.scrollTop = 0;
      const stamps = [];
      const tick = () => {
        stamps.push(performance.now());
        if (stamps.length > frames) return resolve(stamps.slice(1).map((t, i) => t - stamps[i]));
        el.scrollTop += step;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(() => requestAnimationFrame(tick));
    });
  },
  elements(selector) {
    const scope = document.querySelector(selector);
    return { page: document.getElementsByTagName('*').length, list: scope ? scope.getElementsByTagName('*').length + 1 : 0 };
  },
};`;

interface Sample {
  readonly firstRowsMs: number;
  readonly listElements: number;
  readonly pageElements: number;
  readonly domNodesDelta: number;
  readonly heapDelta: number;
  readonly embedderDelta: number;
  readonly frameMean: number;
  readonly frameP95: number;
  readonly frameMax: number;
  readonly mainThreadPerFrame: number;
}

async function heap(cdp: CDPSession): Promise<{ used: number; embedder: number; nodes: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; embedderHeapUsedSize?: number };
  const counters = await cdp.send('Memory.getDOMCounters');
  return { used: usage.usedSize, embedder: usage.embedderHeapUsedSize ?? 0, nodes: counters.nodes };
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

async function measure(app: AppPage, kind: 'route' | 'plain'): Promise<Sample> {
  const { page, cdp } = app;
  const rows = kind === 'route' ? VIRTUAL_ROWS : PLAIN_ROWS;
  const scroller = kind === 'route' ? VIRTUAL_SCROLLER : PLAIN_SCROLLER;
  await page.evaluate(`location.hash = '${AWAY}'`);
  await page.locator(VIRTUAL_SCROLLER).waitFor({ state: 'detached' });
  await sleep(300);
  const before = await heap(cdp);
  const firstRowsMs = (await page.evaluate(`window.__bm.show('${kind}', '${rows}')`)) as number;
  await sleep(600); // the rows on screen settle (balance requests for visible rows, if any)
  const after = await heap(cdp);
  const elements = (await page.evaluate(`window.__bm.elements('${scroller}')`)) as { page: number; list: number };
  const task0 = await taskSeconds(cdp);
  const intervals = (await page.evaluate(`window.__bm.scroll('${scroller}', ${SCROLL_FRAMES}, ${SCROLL_STEP_PX})`)) as number[];
  const task1 = await taskSeconds(cdp);
  if (kind === 'plain') await page.evaluate('window.__benchPlain.unmount()');
  return {
    firstRowsMs,
    listElements: elements.list,
    pageElements: elements.page,
    domNodesDelta: after.nodes - before.nodes,
    heapDelta: after.used - before.used,
    embedderDelta: after.embedder - before.embedder,
    frameMean: mean(intervals),
    frameP95: percentile(intervals, 95),
    frameMax: Math.max(...intervals),
    mainThreadPerFrame: ((task1 - task0) * 1000) / intervals.length,
  };
}

const med = (samples: Sample[], key: keyof Sample): number => percentile(samples.map((s) => s[key]), 50);

/** Route change to the first account rows painted (the data already in the page), as measure() times it, without the heap work. */
async function firstRows(app: AppPage): Promise<number> {
  const { page } = app;
  await page.evaluate(`location.hash = '${AWAY}'`);
  await page.locator(VIRTUAL_SCROLLER).waitFor({ state: 'detached' });
  await sleep(300);
  return (await page.evaluate(`window.__bm.show('route', '${VIRTUAL_ROWS}')`)) as number;
}

async function waitForText(page: Page, selector: string, text: string, timeoutMs: number): Promise<void> {
  await pollPage(page, `document.querySelector(${JSON.stringify(selector)})?.textContent === ${JSON.stringify(text)}`, timeoutMs);
}

async function main(): Promise<void> {
  const started = performance.now();
  header(`accounts-render: ${PROFILES.toLocaleString('en-US')} profiles in headless Chromium, virtualized (app) vs plain list, ${ROUNDS} rounds (median)`, [
    await machine(),
  ]);
  const running: { close?: () => Promise<void> } = {};
  watchdog('accounts-render', 300_000, async () => running.close?.());
  const app = await startAppPage({ sandbox: { seedProfiles: PROFILES - 3 }, viewport: { width: 1280, height: 800 } });
  running.close = () => app.close();
  try {
    const { page, cdp, core } = app;
    const ready = new Set<string>();
    core.events.on('accounts:changed', (change) => {
      if (change.kind === 'balances' && (change.balances as BalancesState).status === 'ready') ready.add(change.profileId);
    });
    const t0 = performance.now();
    await app.openAndSignIn(OPERATOR.email, OPERATOR.password);
    const signedInMs = performance.now() - t0;
    // The core lists every profile and fans out their balances; wait for all of it so both lists show the same rows.
    for (let i = 0; ready.size < PROFILES; i++) {
      if (i > 1800) throw new Error(`only ${ready.size} balances loaded after 180 s`);
      await sleep(100);
    }
    const loadedMs = performance.now() - t0;
    await waitForText(page, '.toolbar-status', `${PROFILES.toLocaleString('en-US')} accounts`, 60_000);
    await sleep(500);
    console.log(`renderer built in ${ms(app.buildMs)}; signed in through the app's sign-in view in ${ms(signedInMs)}; core loaded ${PROFILES.toLocaleString('en-US')} profiles and balances after ${ms(loadedMs)}\n`);

    // The plain list goes exactly where the table is, with the same rows (read through the bridge, sorted by name as shown).
    const rect = await page.locator('.vtable').boundingBox();
    if (!rect) throw new Error('no .vtable on the Accounts view');
    await page.evaluate(`window.__benchRect = ${JSON.stringify({ top: rect.y, left: rect.x, width: rect.width, height: rect.height })}`);
    await app.loadPlainList();
    const fetched = await page.evaluate(`(async () => {
      const rows = [];
      let cursor;
      for (let i = 0; i < 20; i++) {
        const r = await window.partnerConsole.listProfiles({ limit: 1000, sort: 'name', direction: 'asc', ...(cursor ? { cursor } : {}) });
        if (!r.ok) throw new Error(r.error.message);
        rows.push(...r.value.items);
        cursor = r.value.nextCursor;
        if (!cursor) break;
      }
      window.__benchRows = rows;
      return { rows: rows.length, ready: rows.filter((r) => r.balances.status === 'ready').length };
    })()`);
    const { rows: rowCount, ready: readyRows } = fetched as { rows: number; ready: number };
    if (rowCount !== PROFILES) throw new Error(`the bridge returned ${rowCount} rows`);
    await page.evaluate(HELPERS);
    await cdp.send('Performance.enable');

    const virtual: Sample[] = [];
    const plain: Sample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order: Array<'route' | 'plain'> = round % 2 === 0 ? ['route', 'plain'] : ['plain', 'route'];
      for (const kind of order) (kind === 'route' ? virtual : plain).push(await measure(app, kind));
    }

    // Cold start of the app itself (reload → first account rows on screen), for scale: includes bridge calls.
    await page.evaluate(`location.hash = '#/accounts'`);
    await app.context.addInitScript({
      content: `(() => { const poll = () => requestAnimationFrame(() => { if (document.querySelector('${VIRTUAL_ROWS}')) requestAnimationFrame(() => { window.__firstRowsAt = performance.now(); }); else poll(); }); poll(); })();`,
    });
    await page.reload();
    await pollPage(page, 'typeof window.__firstRowsAt === "number"', 30_000);
    const coldMs = (await page.evaluate('window.__firstRowsAt')) as number;

    const column = (s: Sample[], name: string): Record<string, Cell> => ({
      list: name,
      'first rows painted': ms(med(s, 'firstRowsMs')),
      'list elements': Math.round(med(s, 'listElements')),
      'page elements': Math.round(med(s, 'pageElements')),
      'DOM nodes added': Math.round(med(s, 'domNodesDelta')),
      'JS heap added': mib(med(s, 'heapDelta')),
      'DOM heap added': mib(med(s, 'embedderDelta')),
      'scroll frame mean/p95/max': `${fmt(med(s, 'frameMean'))}/${fmt(med(s, 'frameP95'))}/${fmt(med(s, 'frameMax'))} ms`,
      'main thread per frame': ms(med(s, 'mainThreadPerFrame')),
    });
    printTable([column(virtual, 'virtualized (app, @tanstack/react-virtual)'), column(plain, `plain list, all ${PROFILES.toLocaleString('en-US')} rows`)]);
    console.log(
      `\nrows: ${rowCount.toLocaleString('en-US')} (${readyRows.toLocaleString('en-US')} with balances); scroll: ${SCROLL_FRAMES} frames of ${SCROLL_STEP_PX} px; ` +
        `heap = CDP Runtime.getHeapUsage after GC (JS: usedSize, DOM: embedderHeapUsedSize), deltas from the same page with the list not shown`,
    );
    console.log(`app cold start (reload → first account rows painted, 200-row first page over the bridge): ${ms(coldMs)}; page errors: ${app.pageErrors.length}`);
    if (app.pageErrors.length > 0) console.log(`  first page error: ${app.pageErrors[0]!.slice(0, 200)}`);
    console.log('');
    // The same app with a book of 100: is 10,000 any slower to show?
    const small = await startAppPage({ sandbox: { seedProfiles: SMALL - 3 }, viewport: { width: 1280, height: 800 }, rendererDir: app.rendererDir });
    let smallMs: number[] = [];
    const bigMs: number[] = [];
    try {
      await small.openAndSignIn(OPERATOR.email, OPERATOR.password);
      await waitForText(small.page, '.toolbar-status', `${SMALL} accounts`, 60_000);
      await pollPage(small.page, `/ USD$/.test(document.querySelector('[data-testid="book-total"]')?.textContent ?? '')`, 60_000);
      await small.page.evaluate(HELPERS);
      await page.evaluate(HELPERS); // the cold-start reload above cleared them
      await page.evaluate(`location.hash = '#/accounts'`);
      const rounds = Math.max(5, ROUNDS);
      for (let round = 0; round < rounds; round++) {
        const pair = [async () => bigMs.push(await firstRows(app)), async () => smallMs.push(await firstRows(small))];
        if (round % 2) pair.reverse();
        for (const run of pair) await run();
      }
    } finally {
      await small.close();
    }
    smallMs = smallMs.sort((a, b) => a - b);
    await page.evaluate(`location.hash = '#/accounts'`);
    await page.locator(VIRTUAL_ROWS).first().waitFor();
    await sleep(500); // every row of the screen (and the overscan) rendered
    const domRows = (await page.evaluate(`document.querySelectorAll('[role="rowgroup"].tbody [role="row"]').length`)) as number;
    printTable([
      { book: `${PROFILES.toLocaleString('en-US')} profiles`, 'first rows painted (median)': ms(percentile(bigMs, 50)), 'rows in the DOM': domRows },
      { book: `${SMALL} profiles`, 'first rows painted (median)': ms(percentile(smallMs, 50)), 'rows in the DOM': '' },
    ]);
    const renderRatio = percentile(bigMs, 50) / percentile(smallMs, 50);
    ratio(`${PROFILES.toLocaleString('en-US')} / ${SMALL} profiles, time to first rows painted`, renderRatio, 'info', 'the virtualized list costs the same at any size');
    ratio('plain / virtualized list elements', med(plain, 'listElements') / med(virtual, 'listElements'), 'above-1');
    ratio('plain / virtualized time to first rows painted', med(plain, 'firstRowsMs') / med(virtual, 'firstRowsMs'), 'above-1');
    ratio('plain / virtualized JS heap added', med(plain, 'heapDelta') / Math.max(1, med(virtual, 'heapDelta')), 'above-1', `${kib(med(plain, 'heapDelta'))} vs ${kib(med(virtual, 'heapDelta'))}`);
    ratio('plain / virtualized JS + DOM heap added', (med(plain, 'heapDelta') + med(plain, 'embedderDelta')) / Math.max(1, med(virtual, 'heapDelta') + med(virtual, 'embedderDelta')), 'above-1');
    ratio('plain / virtualized scroll frame p95', med(plain, 'frameP95') / med(virtual, 'frameP95'), 'info');
    ratio('plain / virtualized main-thread time per scrolled frame', med(plain, 'mainThreadPerFrame') / med(virtual, 'mainThreadPerFrame'), 'info', 'the virtualized list re-renders rows on scroll; the plain one only scrolls');
    await result('render', renderRatio, 'x', '<= 2x', renderRatio <= 2, `first account rows painted after the route change, ${PROFILES} vs ${SMALL} profiles (median of ${bigMs.length})`);
    await result('render-dom-rows', domRows, 'rows', '< 100', domRows < 100, `rows in the DOM with ${PROFILES} profiles in the list`);
    console.log(`\naccounts-render: done in ${ms(performance.now() - started)}`);
  } finally {
    await app.close();
  }
  finish();
}

await main();
