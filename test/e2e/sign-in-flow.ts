// Drives a real sign-in from the app: "Continue in your browser" in the app's page, the system browser's part on the sandbox's
// pages over plain HTTP (Chromium on those pages is test/sandbox/auth/browser-flow.int.test.ts), the redirect into the intake.
import { expect } from 'vitest';
import { loginOverHttp, OPS, type LoginOptions } from '../support/core-harness';
import type { Desktop } from './harness';

export { OPS };

/** The browser side of a sign-in the app already started: log in and consent on the sandbox's pages, hand the redirect to the core. */
export async function finishInBrowser(desktop: Desktop, options: LoginOptions = OPS): Promise<void> {
  const authorizeUrl = await desktop.external.next(15_000);
  await desktop.page.getByRole('heading', { name: 'Waiting for your browser…' }).waitFor({ timeout: 10_000 });
  const redirect = await loginOverHttp(authorizeUrl, options);
  expect(desktop.core.handleDeepLink(redirect), 'the core accepts the redirect').toBe(true);
}

/** Clicks "Continue in your browser", completes the browser side, and hands the redirect to core.handleDeepLink. */
export async function signInThroughBrowser(desktop: Desktop, options: LoginOptions = OPS): Promise<void> {
  await desktop.page.getByRole('button', { name: 'Continue in your browser' }).click();
  await finishInBrowser(desktop, options);
}
