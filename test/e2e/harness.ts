// E2E presets over the one desktop harness (test/support/desktop.ts): fast polling, axe-core on the app's origin, and
// what `npm run screenshots` changes (screenshots taken into docs/screenshots, the accounts view at full size).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { OperationsTuning } from '../../electron/core/operations';
import { REPO_ROOT, startDesktop as startHarness, type Desktop, type DesktopOptions } from '../support/desktop';

export { REPO_ROOT, RENDERER_DIST, ensureRendererBuilt, type Desktop, type DesktopOptions, type ExternalBrowser, type SaveDialog } from '../support/desktop';

/**
 * `npm run screenshots` (or UPDATE_SCREENSHOTS=1) retakes docs/screenshots. Plain test runs take none: the pages are
 * checked (axe, text, state) the same way, only the pictures are skipped.
 */
export const UPDATING_SCREENSHOTS = process.env.npm_lifecycle_event === 'screenshots' || process.env.UPDATE_SCREENSHOTS === '1';
export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots');
/** axe-core, served from the app's own origin so the strict CSP (script-src 'self') can stay on while tests inject it. */
export const AXE_PATH = '/__e2e__/axe.min.js';
const AXE_FILE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Polling, retries and re-checks fast enough for tests; the schedules' shape is production's. */
export const E2E_TUNING: OperationsTuning = {
  poll: { initialMs: 100, maxMs: 400, factor: 1.5 },
  retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, maxTotalMs: 5_000 },
  recheckDelaysMs: [250, 1_000],
};

/** startDesktop with E2E_TUNING and axe-core served at AXE_PATH. */
export function startDesktop(options: DesktopOptions = {}): Promise<Desktop> {
  return startHarness({ operationsTuning: E2E_TUNING, ...options, extraFiles: { [AXE_PATH]: AXE_FILE, ...options.extraFiles } });
}
