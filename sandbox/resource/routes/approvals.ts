// /_sandbox/approvals: a second operator approves or refuses PENDING orchestrations; /_sandbox/orchestrations/{id}/fail
// makes one FAILED. Loopback only, outside /v2 (on Paxos, approval happens outside the API and outside Partner Console).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canonicalAmount } from '../decimal';
import type { BookRefusal, Decision, OrchestrationBook, OrchestrationRecord } from '../orchestration-book';
import { notFound, ProblemError } from '../problems';
import type { RouteContext } from '../types';
import { requireLoopback } from './admin';

/** An orchestration awaiting approval, as the admin endpoint lists it. */
export function pendingView(o: OrchestrationRecord) {
  return {
    id: o.id,
    ref_id: o.refId,
    submitted_by: o.operator,
    profile_id: o.sourceProfileId,
    source_asset: o.sourceAsset,
    destination_asset: o.destinationAsset,
    source_amount: canonicalAmount(o.amount),
    created_at: new Date(o.createdAtMs).toISOString(),
  };
}

const REFUSALS: Readonly<Record<BookRefusal, { status: number; detail: (o: OrchestrationRecord) => string }>> = {
  'not-pending': { status: 409, detail: (o) => `orchestration ${o.id} is ${o.status}, not PENDING: there is nothing to approve` },
  'same-operator': { status: 403, detail: (o) => `orchestration ${o.id} was submitted by ${o.operator}: a second operator must approve or refuse it` },
  'not-open': { status: 409, detail: (o) => `orchestration ${o.id} is ${o.status} and can no longer fail` },
};

function refused(refusal: BookRefusal, record: OrchestrationRecord): ProblemError {
  const { status, detail } = REFUSALS[refusal];
  return new ProblemError(status, detail(record), { sandboxKind: refusal });
}

/** In-process control of approvals (tests and scripts that hold the server); the HTTP endpoints apply the same rules. */
export interface ApprovalsController {
  /** The approval threshold, USD equivalent, as a decimal string. */
  threshold(): string;
  /** Orchestrations awaiting approval, oldest first, of every operator. */
  pending(): ReturnType<typeof pendingView>[];
  /** Approves or refuses as the operator `approver` (a subject); throws a ProblemError when the rules refuse it. */
  decide(id: string, decision: Decision, approver: string): void;
  /** Makes a PENDING or PROCESSING orchestration FAILED with `detail`; throws a ProblemError when it is no longer open. */
  fail(id: string, detail: string): void;
}

export function createApprovalsController(book: OrchestrationBook, operators: RouteContext['operators']): ApprovalsController {
  const find = (id: string): OrchestrationRecord => {
    const record = book.get(id);
    if (!record) throw notFound('orchestration', id);
    return record;
  };
  return {
    threshold: () => book.approvalThreshold.toFixed(),
    pending: () => book.pending().map(pendingView),
    decide(id, decision, approver) {
      if (!operators.some((o) => o.sub === approver)) throw new ProblemError(400, `approver ${approver} is not an operator of the sandbox`, { sandboxKind: 'unknown-approver' });
      const record = find(id);
      const refusal = book.decide(record, decision, approver);
      if (refusal) throw refused(refusal, record);
    },
    fail(id, detail) {
      const record = find(id);
      const refusal = book.fail(record, detail);
      if (refusal) throw refused(refusal, record);
    },
  };
}

interface DecisionBody {
  decision: Decision;
  /** Subject or e-mail of the approving operator; only with the tooling client's token (an operator's token names its own subject). */
  approver?: string;
}

export function registerApprovalRoutes(app: FastifyInstance, ctx: RouteContext, approvals: ApprovalsController): void {
  const { auth, operators } = ctx;

  /** Loopback peer (403), a valid token (401), then an operator's token or the tooling client's (403 otherwise). */
  async function caller(request: FastifyRequest) {
    requireLoopback(request);
    const who = await auth.authenticate(request, false);
    if (who.operator === undefined && !who.isTooling) {
      throw new ProblemError(403, 'only an operator or the sandbox tooling client may use the approval endpoint', { sandboxKind: 'not-tooling-client' });
    }
    return who;
  }

  app.get('/_sandbox/approvals', async (request) => {
    await caller(request);
    return { items: approvals.pending() };
  });

  app.post<{ Params: { id: string }; Body: DecisionBody }>('/_sandbox/approvals/:id', {
    schema: {
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 128 } } },
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['decision'],
        properties: { decision: { type: 'string', enum: ['approve', 'reject'] }, approver: { type: 'string', minLength: 1, maxLength: 200 } },
      },
    },
  }, async (request) => {
    const who = await caller(request);
    const named = request.body.approver;
    let approver: string;
    if (who.operator !== undefined) {
      if (named !== undefined && named !== who.operator && !operators.some((o) => o.sub === who.operator && o.email === named)) {
        throw new ProblemError(400, 'with an operator token the approver is that operator: leave out approver', { sandboxKind: 'unknown-approver' });
      }
      approver = who.operator;
    } else {
      const match = operators.find((o) => o.sub === named || o.email === named);
      if (!match) throw new ProblemError(400, named === undefined ? 'approver is required with the tooling client token (an operator subject or e-mail)' : `approver ${named} is not an operator of the sandbox`, { sandboxKind: 'unknown-approver' });
      approver = match.sub;
    }
    approvals.decide(request.params.id, request.body.decision, approver);
    return adminState(ctx.orchestrations, request.params.id);
  });

  app.post<{ Params: { id: string }; Body: { detail: string } }>('/_sandbox/orchestrations/:id/fail', {
    schema: {
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 128 } } },
      body: { type: 'object', additionalProperties: false, required: ['detail'], properties: { detail: { type: 'string', minLength: 1, maxLength: 500 } } },
    },
  }, async (request) => {
    const who = await caller(request);
    if (!who.isTooling) throw new ProblemError(403, 'only the sandbox tooling client may fail an orchestration', { sandboxKind: 'not-tooling-client' });
    approvals.fail(request.params.id, request.body.detail);
    return adminState(ctx.orchestrations, request.params.id);
  });
}

/** What the admin answers after a change: the orchestration's id, status and who decided. */
function adminState(book: OrchestrationBook, id: string) {
  const record = book.get(id);
  return record ? { id: record.id, status: record.status, ...(record.decidedBy ? { decided_by: record.decidedBy } : {}), ...(record.failReason ? { fail_reason: { detail: record.failReason } } : {}) } : {};
}
