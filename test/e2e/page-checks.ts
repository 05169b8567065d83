// Page checks for e2e tests: axe-core injected into the page in both colour schemes; screenshots of each under `npm run screenshots`.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { AXE_PATH, SCREENSHOT_DIR, UPDATING_SCREENSHOTS } from './harness';

export type Scheme = 'light' | 'dark';
export const SCHEMES: readonly Scheme[] = ['light', 'dark'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Injects axe-core (once per document) and returns the violations on the current page. The script is added by URL from
 * the app's own origin: `addScriptTag({ path })` inlines it, which the app's CSP (script-src 'self') rightly blocks.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!present) await page.addScriptTag({ url: new URL(AXE_PATH, page.url()).href });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
}

/** Readable summary for assertion messages. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.targets.slice(0, 5).join('\n    ')}`).join('\n');
}

/** Saves <view>-<scheme>.png of the current viewport in docs/screenshots. */
export async function screenshot(page: Page, view: string, scheme: Scheme): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${view}-${scheme}.png`);
  // The pointer stays where the last click left it; park it in the empty corner so no hover state is captured.
  const viewport = page.viewportSize();
  if (viewport) await page.mouse.move(viewport.width - 1, viewport.height - 1);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

export async function setScheme(page: Page, scheme: Scheme): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
}

/** axe-core finds nothing on the current view in either colour scheme; under `npm run screenshots` a screenshot of each is taken. */
export async function expectAxeClean(page: Page, view: string): Promise<void> {
  for (const scheme of SCHEMES) {
    await setScheme(page, scheme);
    const violations = await axeViolations(page);
    expect(violations, `${view} (${scheme}):\n${describeViolations(violations)}`).toEqual([]);
    if (UPDATING_SCREENSHOTS) await screenshot(page, view, scheme);
  }
  await setScheme(page, 'light');
}
