/**
 * Binds the HTTP port before anything else starts, so a busy port, a privileged port or a bad
 * host fails in a second with one line a human can act on — before the store is opened, sessions
 * are resumed or the demo is rendered. Until the app takes over, requests get a coded 503.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { Config } from './config.js';
import { FrissonError, ErrorCodes } from '../contracts/errors.js';

/** One-line reason for a failed `listen` (the Node error's code), with what to do about it. */
export function listenErrorMessage(err: unknown, port: number, host: string): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const where = `port ${port} on ${host}`;
  switch (code) {
    case 'EADDRINUSE':
      return `${where} is in use; stop the other server or pass --port`;
    case 'EACCES':
      return `not allowed to listen on ${where} (ports below 1024 need root); pass --port 8080 or another port ≥ 1024`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${host}: no network interface of this machine has that address; pass --host 127.0.0.1 (or 0.0.0.0 for every interface)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return `cannot listen on ${host}: no such host; pass --host with an address of this machine, e.g. 127.0.0.1 or 0.0.0.0`;
    default:
      return `cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Listens on `port`/`host`; rejects with a one-line `Error` (see `listenErrorMessage`).
 * @example
 *   const http = createServer();
 *   await bindPort(http, 8080, '127.0.0.1'); // "port 8080 on 127.0.0.1 is in use; …"
 */
export function bindPort(http: HttpServer, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(listenErrorMessage(err, port, host)));
    http.once('error', onError);
    http.listen(port, host, () => {
      http.off('error', onError);
      resolve();
    });
  });
}

/**
 * A bound server whose requests are answered `503 FRISSON_ERR_STARTING` (with `Retry-After`)
 * until `createFrissonServer` attaches the app to it.
 */
export async function bindStartingServer(
  http: HttpServer,
  port: number,
  host: string,
): Promise<void> {
  const starting = new FrissonError('FRISSON_ERR_STARTING');
  http.on('request', (_req, res) => {
    res.writeHead(ErrorCodes.FRISSON_ERR_STARTING.status, {
      'content-type': 'application/json; charset=utf-8',
      'retry-after': '2',
    });
    res.end(JSON.stringify({ error: starting.toWire() }));
  });
  await bindPort(http, port, host);
}

/**
 * The HTTP server with explicit timeouts (issue 22): a client must send its headers within
 * `httpHeadersTimeoutMs` and its whole request within `httpRequestTimeoutMs`, and an idle
 * keep-alive connection closes after `httpKeepAliveTimeoutMs`, so a slowloris cannot hold file
 * descriptors. Node checks the first two every `connectionsCheckingInterval` (30 s by default,
 * 1 s here). A blocking playlist reload waits on the response, not the request: unaffected.
 */
export function createHttpServer(
  cfg: Pick<Config, 'httpHeadersTimeoutMs' | 'httpRequestTimeoutMs' | 'httpKeepAliveTimeoutMs'>,
): HttpServer {
  const http = createServer({
    connectionsCheckingInterval: 1000,
    headersTimeout: cfg.httpHeadersTimeoutMs,
    requestTimeout: Math.max(cfg.httpRequestTimeoutMs, cfg.httpHeadersTimeoutMs),
    keepAliveTimeout: cfg.httpKeepAliveTimeoutMs,
  });
  return http;
}
