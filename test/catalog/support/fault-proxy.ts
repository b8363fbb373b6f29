import http from 'node:http';

/** What the proxy does with one request: pass it on (possibly rewritten), or answer itself. */
export type FaultDecision =
  | { forward: string; rewrite?: (responseBody: string) => string }
  | { status: number; body: string };

/**
 * An HTTP proxy in front of the moto server that lets a test inject service faults (throttling,
 * per-entry batch errors) into the real wire protocol: the AWS SDK under test talks HTTP to it
 * exactly as to AWS. `decide` sees the X-Amz-Target (`AWSGlue.BatchCreatePartition`) and body.
 */
export async function startFaultProxy(
  upstream: string,
  decide: (target: string, body: string) => FaultDecision,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const decision = decide(String(req.headers['x-amz-target'] ?? ''), body);
      if ('status' in decision) {
        res.writeHead(decision.status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(decision.body);
        return;
      }
      const headers = { ...req.headers, 'content-length': String(Buffer.byteLength(decision.forward)) };
      const up = http.request(new URL(req.url ?? '/', upstream), { method: req.method, headers }, (upRes) => {
        const out: Buffer[] = [];
        upRes.on('data', (c: Buffer) => out.push(c));
        upRes.on('end', () => {
          const text = Buffer.concat(out).toString();
          const final = decision.rewrite ? decision.rewrite(text) : text;
          const h = { ...upRes.headers, 'content-length': String(Buffer.byteLength(final)) };
          delete h['transfer-encoding'];
          res.writeHead(upRes.statusCode ?? 500, h);
          res.end(final);
        });
      });
      up.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      up.end(decision.forward);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
