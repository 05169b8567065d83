// Drives a real sign-in from the app: "Continue in your browser", the sandbox's pages in a second Chromium context, the redirect into the core's intake.
import { expect } from 'vitest';
import { loginAndConsent, type LoginAndConsentOptions } from '../support/browser';
import type { Desktop } from './harness';

export const OPS = { email: 'ops@partner.test', password: 'sandbox' } as const;

/** The browser side of a sign-in the app already started: log in and consent on the sandbox's pages, hand the redirect to the core. */
export async function finishInBrowser(desktop: Desktop, options: LoginAndConsentOptions = OPS): Promise<void> {
  const authorizeUrl = await desktop.external.next(15_000);
  await desktop.page.getByRole('heading', { name: 'Waiting for your browser…' }).waitFor({ timeout: 10_000 });
  const systemBrowser = await desktop.browser.newContext();
  try {
    const redirect = await loginAndConsent(systemBrowser, authorizeUrl, options);
    expect(desktop.core.handleDeepLink(redirect), 'the core accepts the redirect').toBe(true);
  } finally {
    await systemBrowser.close();
  }
}

/** Clicks "Continue in your browser", completes the browser side, and hands the redirect to core.handleDeepLink. */
export async function signInThroughBrowser(desktop: Desktop, options: LoginAndConsentOptions = OPS): Promise<void> {
  await desktop.page.getByRole('button', { name: 'Continue in your browser' }).click();
  await finishInBrowser(desktop, options);
}
