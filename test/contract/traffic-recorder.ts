// Records the raw HTTP traffic of a fastify app (method, raw URL, body, status, content type, payload) for contract checks.
import { Transform, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** One request and the response the app sent for it, as they were on the wire. */
export interface Exchange {
  method: string;
  /** Raw request URL (path and query, still percent-encoded), e.g. `/v2/profiles?assets=USD&assets=USDP`. */
  url: string;
  requestContentType: string | undefined;
  /** Request body text exactly as received; undefined when the request had none. */
  requestBody: string | undefined;
  /** Undefined while no response was sent (e.g. a connection reset by chaos). */
  status: number | undefined;
  contentType: string | undefined;
  /** Response payload text as sent. */
  payload: string | undefined;
}

export interface TrafficLog {
  /** Every exchange so far, in arrival order. */
  readonly exchanges: readonly Exchange[];
  /** Exchanges whose response was sent. */
  completed(): Exchange[];
  clear(): void;
}

function header(value: string | string[] | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * Adds root hooks to `app` (before it is ready): `onRequest` notes the method and raw URL, `preParsing` copies the
 * body bytes as they stream through, `onSend` notes the status, content type and payload of the response. A request
 * answered by an earlier hook (e.g. a plugin's chaos hook) is still recorded, from `onSend`. Hijacked replies (a
 * connection reset by chaos) stay without a status.
 */
export function recordTraffic(app: FastifyInstance): TrafficLog {
  const exchanges: Exchange[] = [];
  const byRequest = new WeakMap<FastifyRequest, Exchange>();
  const chunksOf = new WeakMap<Exchange, Buffer[]>();

  /** The request's exchange, created on first sight (a hook of a plugin may answer before this onRequest hook runs). */
  const exchangeOf = (request: FastifyRequest): Exchange => {
    let exchange = byRequest.get(request);
    if (!exchange) {
      exchange = {
        method: request.method,
        url: request.raw.url ?? request.url,
        requestContentType: header(request.headers['content-type']),
        requestBody: undefined,
        status: undefined,
        contentType: undefined,
        payload: undefined,
      };
      exchanges.push(exchange);
      byRequest.set(request, exchange);
    }
    return exchange;
  };

  app.addHook('onRequest', async (request) => {
    exchangeOf(request);
  });

  app.addHook('preParsing', async (request, _reply, payload: Readable) => {
    const exchange = byRequest.get(request);
    if (!exchange) return payload;
    const chunks: Buffer[] = [];
    chunksOf.set(exchange, chunks);
    const tee = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done(null, chunk);
      },
    });
    payload.on('error', (error) => tee.destroy(error));
    return payload.pipe(tee);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const exchange = exchangeOf(request);
    const chunks = chunksOf.get(exchange);
    if (chunks && chunks.length > 0) exchange.requestBody = Buffer.concat(chunks).toString('utf8');
    exchange.status = reply.statusCode;
    exchange.contentType = header(reply.getHeader('content-type'));
    exchange.payload = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
    return payload;
  });

  return {
    exchanges,
    completed: () => exchanges.filter((e) => e.status !== undefined),
    clear: () => {
      exchanges.length = 0;
    },
  };
}
