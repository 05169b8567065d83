// HTML for the sandbox's sign-in, consent and error pages: accessible markup, every interpolated value escaped.
import { createHash } from 'node:crypto';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = [
  'body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}',
  'main{max-width:26rem;margin:3rem auto;padding:1.5rem 2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.2)}',
  'h1{font-size:1.4rem;margin-top:0}',
  'label{display:block;font-weight:600;margin-top:1rem}',
  'input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem;font-size:1rem}',
  'fieldset{border:0;padding:0;margin:1rem 0}',
  'legend{font-weight:600}',
  '.scope{display:flex;gap:.5rem;align-items:flex-start;margin:.5rem 0;font-weight:400}',
  '.scope code{display:block;font-size:.8rem;color:#555}',
  '.error{color:#a00000;background:#fdecec;padding:.5rem;border-radius:4px}',
  '.actions{display:flex;gap:.75rem;margin-top:1.5rem}',
  'button{font-size:1rem;padding:.5rem 1.25rem;cursor:pointer}',
  ':focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}',
].join('');

const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/** Content-Security-Policy for every page: no scripts, only the inline stylesheet above, no framing. */
export const PAGE_CSP = `default-src 'none'; style-src '${STYLE_HASH}'; base-uri 'none'; frame-ancestors 'none'`;

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Partner sandbox</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function actionFor(uid: string, step: 'login' | 'confirm'): string {
  return `/interaction/${encodeURIComponent(uid)}/${step}`;
}

export interface LoginPageInput {
  uid: string;
  clientName: string;
  /** Email to pre-fill (what the person typed last time). */
  email?: string;
  /** Shown in an alert above the form. */
  error?: string;
}

export function renderLoginPage(input: LoginPageInput): string {
  const error = input.error
    ? `<p class="error" role="alert" id="login-error">${escapeHtml(input.error)}</p>`
    : '';
  const describedBy = input.error ? ' aria-describedby="login-error"' : '';
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to ${escapeHtml(input.clientName)}</p>
${error}
<form method="post" action="${escapeHtml(actionFor(input.uid, 'login'))}" novalidate>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${escapeHtml(input.email ?? '')}"${describedBy}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${describedBy}>
<div class="actions"><button type="submit">Sign in</button></div>
</form>`,
  );
}

export interface ConsentScope {
  scope: string;
  description: string;
  /** Required scopes are shown checked and cannot be unticked (`openid`). */
  required: boolean;
}

export interface ConsentPageInput {
  uid: string;
  clientName: string;
  operatorEmail: string;
  scopes: readonly ConsentScope[];
}

function scopeRow(item: ConsentScope, index: number): string {
  const id = `scope-${index}`;
  const scope = escapeHtml(item.scope);
  const control = item.required
    ? `<input type="checkbox" id="${id}" checked disabled><input type="hidden" name="scope" value="${scope}">`
    : `<input type="checkbox" id="${id}" name="scope" value="${scope}" checked>`;
  const note = item.required ? ' (required)' : '';
  return `<label class="scope" for="${id}">${control}<span>${escapeHtml(item.description)}${note}<code>${scope}</code></span></label>`;
}

export function renderConsentPage(input: ConsentPageInput): string {
  const rows = input.scopes.map(scopeRow).join('\n');
  return layout(
    'Allow access',
    `<h1>Allow access</h1>
<p><strong>${escapeHtml(input.clientName)}</strong> is asking to act for <strong>${escapeHtml(input.operatorEmail)}</strong>.</p>
<form method="post" action="${escapeHtml(actionFor(input.uid, 'confirm'))}">
<fieldset>
<legend>It will be able to:</legend>
${rows}
</fieldset>
<p>Untick anything you do not want to allow.</p>
<div class="actions">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`,
  );
}

export interface ErrorPageInput {
  title: string;
  message: string;
  /** Extra lines such as `error: invalid_request`. */
  details?: Readonly<Record<string, string | undefined>>;
}

export function renderErrorPage(input: ErrorPageInput): string {
  const details = Object.entries(input.details ?? {})
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  return layout(
    input.title,
    `<h1>${escapeHtml(input.title)}</h1>
<p role="alert">${escapeHtml(input.message)}</p>
${details ? `<dl>${details}</dl>` : ''}`,
  );
}

/** Sign-out confirmation of the end-session endpoint; `form` is oidc-provider's own `<form id="op.logoutForm">` (with its xsrf field). */
export function renderLogoutPage(form: string): string {
  return layout(
    'Sign out',
    `<h1>Sign out of the sandbox?</h1>
${form}
<div class="actions">
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>
</div>`,
  );
}

export function renderSignedOutPage(): string {
  return layout('Signed out', '<h1>Signed out</h1>\n<p>You are signed out of the sandbox. You can close this window.</p>');
}
