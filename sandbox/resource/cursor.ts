// Opaque, tamper-evident page cursors: base64url(JSON) + HMAC signed with a per-server secret.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { badRequest, type ProblemError } from './problems';

/** What a cursor remembers: which listing, the position after the last item returned, and the query it belongs to. */
export interface CursorPosition {
  /** Listing the cursor belongs to, e.g. "profiles". */
  kind: string;
  /** Position to continue after (offset or sequence number, depending on the listing). */
  after: number;
  /** Fingerprint of the caller and filters; a cursor is only valid with the same query. */
  query: string;
}

export interface CursorCodec {
  encode(position: CursorPosition): string;
  /** Returns the position; throws a 400 about:blank problem on anything tampered, foreign or stale. */
  decode(cursor: string, kind: string, query: string): number;
}

const MAX_CURSOR_LENGTH = 512;

function invalid(detail: string): ProblemError {
  return badRequest(`page_cursor is invalid: ${detail}`);
}

/** A codec with its own random key, so cursors of one server instance mean nothing to another. */
export function createCursorCodec(secret: Buffer = randomBytes(32)): CursorCodec {
  const sign = (data: string): Buffer => createHmac('sha256', secret).update(data).digest();
  return {
    encode(position) {
      const data = Buffer.from(JSON.stringify({ k: position.kind, a: position.after, q: position.query })).toString('base64url');
      return `${data}.${sign(data).toString('base64url')}`;
    },
    decode(cursor, kind, query) {
      if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw invalid('bad length');
      const [data, mac, extra] = cursor.split('.');
      if (data === undefined || mac === undefined || extra !== undefined) throw invalid('malformed');
      const expected = sign(data);
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('signature mismatch');
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(data, 'base64url').toString('utf8'));
      } catch {
        throw invalid('malformed');
      }
      const p = parsed as { k?: unknown; a?: unknown; q?: unknown };
      if (p.k !== kind) throw invalid('belongs to another listing');
      if (p.q !== query) throw invalid('was issued for a different query');
      if (typeof p.a !== 'number' || !Number.isSafeInteger(p.a) || p.a < 0) throw invalid('malformed');
      return p.a;
    },
  };
}
