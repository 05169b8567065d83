// RFC 9457 problem+json errors: the ProblemError type, its kinds, and the app-wide error/404 handlers.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const PROBLEM_BASE = 'https://sandbox.partnerconsole.test/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Every kind of problem the resource server reports, with its HTTP title. */
export const PROBLEM_TITLES = {
  'invalid-request': 'Bad Request',
  'invalid-json': 'Malformed JSON Body',
  'invalid-amount': 'Invalid Amount',
  'invalid-precision': 'Invalid Precision',
  'limit-exceeded': 'Limit Exceeded',
  'invalid-cursor': 'Invalid Page Cursor',
  'invalid-asset': 'Invalid Asset',
  'invalid-asset-pair': 'Invalid Asset Pair',
  'identity-mismatch': 'Identity Mismatch',
  'invalid-token': 'Unauthorized',
  'insufficient-scope': 'Insufficient Scope',
  'not-delegated': 'Not Delegated',
  'insufficient-funds': 'Insufficient Funds',
  'not-loopback': 'Loopback Only',
  'not-tooling-client': 'Tooling Client Only',
  'not-found': 'Not Found',
  'already-exists': 'Already Exists',
  'not-cancellable': 'Not Cancellable',
  'payload-too-large': 'Payload Too Large',
  'unsupported-media-type': 'Unsupported Media Type',
  'rate-limited': 'Too Many Requests',
  'internal': 'Internal Server Error',
  'unavailable': 'Service Unavailable',
} as const;

export type ProblemKind = keyof typeof PROBLEM_TITLES;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  meta?: Record<string, unknown>;
}

/** Thrown anywhere in a request; the error handler turns it into a problem+json response. */
export class ProblemError extends Error {
  readonly status: number;
  readonly kind: ProblemKind;
  readonly meta: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, kind: ProblemKind, detail: string, meta?: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.kind = kind;
    this.meta = meta;
    this.headers = headers;
  }

  toBody(): ProblemBody {
    const body: ProblemBody = { type: problemType(this.kind), title: PROBLEM_TITLES[this.kind], status: this.status, detail: this.message };
    if (this.meta !== undefined) body.meta = this.meta;
    return body;
  }
}

export function problemType(kind: ProblemKind): string {
  return PROBLEM_BASE + kind;
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

function validationProblem(error: FastifyError): ProblemError {
  const issues = (error.validation ?? []) as ValidationIssue[];
  const where = error.validationContext ?? 'request';
  const errors = issues.map((i) => ({ location: where, path: i.instancePath, keyword: i.keyword, message: i.message ?? 'is invalid' }));
  const amountIssue = where === 'body' && issues.some((i) => i.instancePath === '/amount');
  const kind: ProblemKind = amountIssue ? 'invalid-amount' : 'invalid-request';
  return new ProblemError(400, kind, `${where}${issues[0]?.instancePath ?? ''} ${issues[0]?.message ?? 'is invalid'}`.trim(), { errors });
}

/** Maps any error reaching the handler (ours, fastify's, or a bug) to a problem. */
export function toProblem(error: FastifyError | Error): ProblemError {
  if (error instanceof ProblemError) return error;
  const fe = error as FastifyError;
  if (fe.validation) return validationProblem(fe);
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ProblemError(400, 'invalid-json', fe.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProblemError(415, 'unsupported-media-type', 'request body must be application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProblemError(413, 'payload-too-large', 'request body is too large');
    default:
      break;
  }
  if (error instanceof SyntaxError && fe.statusCode === 400) return new ProblemError(400, 'invalid-json', `body is not valid JSON: ${error.message}`);
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new ProblemError(fe.statusCode, 'invalid-request', fe.message);
  }
  return new ProblemError(500, 'internal', 'the sandbox hit an unexpected error');
}

/** Installs handlers so that every error and unknown route answers in problem+json. */
export function installProblemHandlers(app: FastifyInstance, log: (line: string) => void): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(error);
    if (problem.status >= 500 && problem.kind === 'internal') {
      log(`resource: ${request.method} ${request.routeOptions.url ?? request.url} failed: ${error.stack ?? error.message}`);
    }
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, new ProblemError(404, 'not-found', `no route for ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );
}

/** `frameworkErrors` option: bad URLs and similar errors raised before routing. */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void sendProblem(reply, new ProblemError(400, 'invalid-request', error.message));
}
