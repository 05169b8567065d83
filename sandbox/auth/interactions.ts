// Serves the login and consent interaction pages (/interaction/:uid) and reports results back to oidc-provider.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionDetails } from 'oidc-provider';
import type { SeedOperator } from '../seed';
import { authenticate } from './accounts';
import { HttpError, readForm, sendHtml } from './http-util';
import { renderConsentPage, renderErrorPage, renderLoginPage, type ConsentScope } from './pages';
import { describeScope, isApiScope, isOidcScope, splitScope } from './scopes';

export const INTERACTION_PREFIX = '/interaction/';

/** Shown for any failed sign-in; deliberately says nothing about which part was wrong. */
export const WRONG_CREDENTIALS = 'Wrong email or password';

export interface InteractionHandlerOptions {
  provider: Provider;
  operators: readonly SeedOperator[];
  /** The API resource indicator (audience) that API scopes are granted for. */
  apiUrl: string;
  log: (line: string) => void;
}

type Step = 'show' | 'login' | 'confirm';

function parsePath(pathname: string): { uid: string; step: Step } | undefined {
  const match = /^\/interaction\/([A-Za-z0-9_-]{1,128})(?:\/(login|confirm))?$/.exec(pathname);
  if (!match?.[1]) return undefined;
  return { uid: match[1], step: (match[2] as Step | undefined) ?? 'show' };
}

async function clientName(provider: Provider, clientId: unknown): Promise<string> {
  if (typeof clientId !== 'string') return 'an application';
  const client = await provider.Client.find(clientId);
  return client?.clientName ?? clientId;
}

function consentScopes(details: InteractionDetails): ConsentScope[] {
  return splitScope(details.params['scope'])
    .filter((scope) => isOidcScope(scope) || isApiScope(scope))
    .map((scope) => ({ scope, description: describeScope(scope), required: scope === 'openid' }));
}

/** Builds the grant from the boxes left ticked: ticked scopes are granted, the others recorded as rejected. */
async function saveGrant(options: InteractionHandlerOptions, details: InteractionDetails, form: URLSearchParams): Promise<string> {
  const { provider, apiUrl } = options;
  const accountId = details.session?.accountId;
  const clientId = details.params['client_id'];
  if (!accountId || typeof clientId !== 'string') throw new HttpError(400, 'This request has no signed-in operator.');
  const ticked = new Set(form.getAll('scope'));
  const requested = consentScopes(details).map((s) => s.scope);
  const resourceParam = details.params['resource'];
  const resource = typeof resourceParam === 'string' ? resourceParam : apiUrl;
  const grant = new provider.Grant({ accountId, clientId });
  const oidc = requested.filter(isOidcScope);
  const api = requested.filter(isApiScope);
  const grantedOidc = oidc.filter((s) => s === 'openid' || ticked.has(s));
  const rejectedOidc = oidc.filter((s) => !grantedOidc.includes(s));
  const grantedApi = api.filter((s) => ticked.has(s));
  const rejectedApi = api.filter((s) => !ticked.has(s));
  if (grantedOidc.length) grant.addOIDCScope(grantedOidc.join(' '));
  if (rejectedOidc.length) grant.rejectOIDCScope(rejectedOidc.join(' '));
  if (grantedApi.length) grant.addResourceScope(resource, grantedApi.join(' '));
  if (rejectedApi.length) grant.rejectResourceScope(resource, rejectedApi.join(' '));
  const claims = details.prompt.details['missingOIDCClaims'];
  if (Array.isArray(claims)) grant.addOIDCClaims(claims.filter((c): c is string => typeof c === 'string'));
  return grant.save();
}

async function show(options: InteractionHandlerOptions, details: InteractionDetails, res: ServerResponse): Promise<void> {
  const name = await clientName(options.provider, details.params['client_id']);
  if (details.prompt.name === 'login') {
    sendHtml(res, 200, renderLoginPage({ uid: details.uid, clientName: name }));
    return;
  }
  if (details.prompt.name === 'consent') {
    const operator = options.operators.find((o) => o.sub === details.session?.accountId);
    sendHtml(
      res,
      200,
      renderConsentPage({ uid: details.uid, clientName: name, operatorEmail: operator?.email ?? 'you', scopes: consentScopes(details) }),
    );
    return;
  }
  throw new HttpError(400, `This sandbox cannot handle the "${details.prompt.name}" step.`);
}

async function login(options: InteractionHandlerOptions, details: InteractionDetails, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (details.prompt.name !== 'login') throw new HttpError(400, 'You are already signed in for this request.');
  const form = await readForm(req);
  const email = form.get('email') ?? '';
  const operator = authenticate(options.operators, email, form.get('password') ?? '');
  if (!operator) {
    const name = await clientName(options.provider, details.params['client_id']);
    sendHtml(res, 200, renderLoginPage({ uid: details.uid, clientName: name, email, error: WRONG_CREDENTIALS }));
    return;
  }
  await options.provider.interactionFinished(req, res, { login: { accountId: operator.sub } }, { mergeWithLastSubmission: false });
}

async function confirm(options: InteractionHandlerOptions, details: InteractionDetails, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (details.prompt.name !== 'consent') throw new HttpError(400, 'This request is not waiting for consent.');
  const form = await readForm(req);
  const decision = form.get('decision');
  if (decision === 'deny') {
    const result = { error: 'access_denied', error_description: 'The operator denied the request.' };
    await options.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }
  if (decision !== 'allow') throw new HttpError(400, 'Choose Allow or Deny.');
  const grantId = await saveGrant(options, details, form);
  await options.provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function dispatch(options: InteractionHandlerOptions, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const route = parsePath(pathname);
  if (!route) throw new HttpError(404, 'There is no such page.');
  const expectedMethod = route.step === 'show' ? 'GET' : 'POST';
  if (req.method !== expectedMethod) throw new HttpError(405, 'This page does not accept that method.');
  let details: InteractionDetails;
  try {
    details = await options.provider.interactionDetails(req, res);
  } catch {
    throw new HttpError(400, 'This sign-in request has expired or was already completed. Go back to the app and start again.');
  }
  if (details.uid !== route.uid) throw new HttpError(400, 'This sign-in request does not match this browser session.');
  if (route.step === 'show') return show(options, details, res);
  if (route.step === 'login') return login(options, details, req, res);
  return confirm(options, details, req, res);
}

/**
 * Returns a node request handler for `/interaction/*`; it answers `false` (without responding) for
 * any other path so the caller can hand the request to oidc-provider.
 */
export function createInteractionHandler(options: InteractionHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    if (!pathname.startsWith(INTERACTION_PREFIX)) return false;
    try {
      await dispatch(options, req, res, pathname);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : 'Something went wrong in the sandbox.';
      if (!(error instanceof HttpError)) options.log(`interaction error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      if (!res.headersSent) sendHtml(res, status, renderErrorPage({ title: 'Cannot continue', message }));
      else res.end();
    }
    return true;
  };
}
