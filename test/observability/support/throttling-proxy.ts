import http from 'node:http';

export type Fault = 'throttle' | 'unavailable';

export interface ThrottlingProxy {
  endpoint: string;
  /** Answers the next `n` requests (of any AWS service) with `fault` instead of forwarding them. */
  failNext(n: number, fault?: Fault): void;
  /** Answers every request with `fault` until called with undefined. */
  failAlways(fault: Fault | undefined): void;
  /** Requests answered with a fault / passed to the upstream, since the last reset. */
  readonly counts: { failed: number; forwarded: number };
  /** The X-Amz-Target (e.g. `AWSGlue.GetTables`) of each request passed on, since the last reset. */
  readonly targets: string[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * The error an AWS service sends when it throttles or is unavailable, in the service's own protocol:
 * JSON (`X-Amz-Target` requests: Glue, Athena) or S3's REST XML. The SDK must treat both as retryable.
 */
function faultResponse(fault: Fault, json: boolean): { status: number; type: string; body: string } {
  if (json) {
    return fault === 'throttle'
      ? { status: 400, type: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }) }
      : { status: 503, type: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: 'ServiceUnavailableException', message: 'Service unavailable' }) };
  }
  const [code, message] = fault === 'throttle' ? ['SlowDown', 'Please reduce your request rate.'] : ['ServiceUnavailable', 'Service is unable to handle request.'];
  return { status: 503, type: 'application/xml', body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault</RequestId></Error>` };
}

/**
 * A fault-injecting HTTP proxy in front of a moto server: the AWS SDK under test talks to it exactly
 * as to AWS, and it answers chosen requests with throttling or 503 errors before passing the rest on.
 */
export async function startThrottlingProxy(upstream: string): Promise<ThrottlingProxy> {
  let pending: { n: number; fault: Fault } = { n: 0, fault: 'throttle' };
  let always: Fault | undefined;
  const counts = { failed: 0, forwarded: 0 };
  const targets: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fault = always ?? (pending.n > 0 ? pending.fault : undefined);
      if (fault !== undefined) {
        if (always === undefined) pending.n--;
        counts.failed++;
        const f = faultResponse(fault, req.headers['x-amz-target'] !== undefined);
        res.writeHead(f.status, { 'content-type': f.type, 'content-length': String(Buffer.byteLength(f.body)) });
        res.end(f.body);
        return;
      }
      counts.forwarded++;
      const target = req.headers['x-amz-target'];
      if (typeof target === 'string') targets.push(target);
      const up = http.request(new URL(req.url ?? '/', upstream), { method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    failNext: (n, fault = 'throttle') => void (pending = { n, fault }),
    failAlways: (fault) => void (always = fault),
    counts,
    targets,
    reset: () => {
      targets.length = 0;
      counts.failed = 0;
      counts.forwarded = 0;
      pending = { n: 0, fault: 'throttle' };
      always = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
