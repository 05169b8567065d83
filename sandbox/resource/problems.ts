// RFC 9457 problem+json errors as Paxos sends them (about:blank or a published slug) and the app-wide error/404 handlers.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Base of the problem types Paxos publishes (https://developer.paxos.com/docs/v2/problems/<slug>). */
export const PAXOS_PROBLEM_BASE = 'https://developer.paxos.com/docs/v2/problems/';

/** The published slugs the sandbox sends, with their published titles. Every other /v2 error is `about:blank`. */
export const PUBLISHED_PROBLEMS = {
  'already-exists': 'Already Exists',
  'insufficient-funds': 'Insufficient Funds',
} as const;
export type PublishedSlug = keyof typeof PUBLISHED_PROBLEMS;

/** Problem types of the sandbox-only admin endpoints (`/_sandbox/*`), which are not part of the Paxos API. */
export const SANDBOX_PROBLEM_BASE = 'https://sandbox.partnerconsole.test/problems/';
export const SANDBOX_PROBLEMS = {
  'not-loopback': 'Loopback Only',
  'not-tooling-client': 'Tooling Client Only',
  'unknown-approver': 'Unknown Approver',
  'same-operator': 'Submitter Cannot Approve',
  'not-pending': 'Not Awaiting Approval',
  'not-open': 'No Longer Open',
} as const;
export type SandboxKind = keyof typeof SANDBOX_PROBLEMS;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  meta?: Record<string, unknown>;
}

export interface ProblemOptions {
  /** A published Paxos problem type; absent means `about:blank` with the standard HTTP title. */
  slug?: PublishedSlug;
  /** A sandbox admin problem type (only for `/_sandbox/*`). */
  sandboxKind?: SandboxKind;
  /** Only published problem types carry meta (`already-exists`: existing; `insufficient-funds`: asset, available, needed, profile_id). */
  meta?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Thrown anywhere in a request; the error handler turns it into a problem+json response. */
export class ProblemError extends Error {
  readonly status: number;
  readonly options: ProblemOptions;

  constructor(status: number, detail: string, options: ProblemOptions = {}) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.options = options;
  }

  get headers(): Record<string, string> {
    return this.options.headers ?? {};
  }

  toBody(): ProblemBody {
    const { slug, sandboxKind, meta } = this.options;
    const [type, title] = slug !== undefined
      ? [PAXOS_PROBLEM_BASE + slug, PUBLISHED_PROBLEMS[slug]]
      : sandboxKind !== undefined
        ? [SANDBOX_PROBLEM_BASE + sandboxKind, SANDBOX_PROBLEMS[sandboxKind]]
        : ['about:blank', STATUS_CODES[this.status] ?? 'Error'];
    const body: ProblemBody = { type, title, status: this.status, detail: this.message };
    if (meta !== undefined && (slug !== undefined || sandboxKind !== undefined)) body.meta = meta;
    return body;
  }
}

/** 400 about:blank "Bad Request" — the shape of the spec's own 400 example. */
export function badRequest(detail: string): ProblemError {
  return new ProblemError(400, detail);
}

/** 404 about:blank "Not Found", worded like the spec's example (`<thing> with id <id> not found`). */
export function notFound(thing: string, id: string): ProblemError {
  return new ProblemError(404, `${thing} with id ${id} not found`);
}

export function sendProblem(reply: FastifyReply, problem: ProblemError): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem.toBody()));
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** One readable sentence per schema failure, e.g. `body/amount must match pattern "…"` or `query has unknown parameter "statuses"`. */
function validationProblem(error: FastifyError): ProblemError {
  const issues = (error.validation ?? []) as ValidationIssue[];
  const where = error.validationContext ?? 'request';
  const sentences = issues.map((i) => {
    if (i.keyword === 'additionalProperties') {
      const name = String(i.params['additionalProperty']);
      return where === 'querystring' ? `unknown query parameter "${name}"` : `${where}${i.instancePath} has unknown field "${name}"`;
    }
    if (i.keyword === 'required') return `${where}${i.instancePath} is missing required field "${String(i.params['missingProperty'])}"`;
    return `${where}${i.instancePath} ${i.message ?? 'is invalid'}`;
  });
  return badRequest(sentences.join('; ') || `${where} is invalid`);
}

/** Maps any error reaching the handler (ours, fastify's, or a bug) to a problem. */
export function toProblem(error: FastifyError | Error): ProblemError {
  if (error instanceof ProblemError) return error;
  const fe = error as FastifyError;
  if (fe.validation) return validationProblem(fe);
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest(`request body is not valid JSON: ${fe.message}`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProblemError(415, 'request body must be application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProblemError(413, 'request body is too large');
    default:
      break;
  }
  if (error instanceof SyntaxError && fe.statusCode === 400) return badRequest(`request body is not valid JSON: ${error.message}`);
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return new ProblemError(fe.statusCode, fe.message);
  return new ProblemError(500, 'the sandbox hit an unexpected error');
}

/** Installs handlers so that every error and unknown route answers in problem+json. */
export function installProblemHandlers(app: FastifyInstance, log: (line: string) => void): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(error);
    if (problem.status >= 500 && !(error instanceof ProblemError)) {
      log(`resource: ${request.method} ${request.routeOptions.url ?? request.url} failed: ${error.stack ?? error.message}`);
    }
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, new ProblemError(404, `no route for ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );
}

/** `frameworkErrors` option: bad URLs and similar errors raised before routing. */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void sendProblem(reply, badRequest(error.message));
}
