/**
 * A real OpenAI-compatible chat-completions server on port 0 for narrator tests
 * (`POST /v1/chat/completions`, `stream: false`). Modes:
 * - `normal`    200 with `choices[0].message.content = reply`
 * - `slow`      the normal answer after `delayMs` (default 2000 ms)
 * - `error`     500 with an OpenAI-style error body
 * - `malformed` 200, `application/json`, truncated JSON
 * - `empty`     200 with `choices: []`
 * `close()` clears pending timers and drops open sockets, so mocha exits without `--exit`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type OpenAiTestMode = 'normal' | 'slow' | 'error' | 'malformed' | 'empty';

export interface RecordedChatRequest {
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface OpenAiTestServer {
  /** e.g. `http://127.0.0.1:43123/v1` */
  readonly baseUrl: string;
  mode: OpenAiTestMode;
  reply: string;
  delayMs: number;
  readonly requests: RecordedChatRequest[];
  /** Responses actually written (a slow answer whose client gave up is not counted). */
  readonly answered: number;
  close(): Promise<void>;
}

export async function startOpenAiTestServer(
  options: { mode?: OpenAiTestMode; reply?: string; delayMs?: number } = {},
): Promise<OpenAiTestServer> {
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const requests: RecordedChatRequest[] = [];
  let answered = 0;

  const state = {
    mode: options.mode ?? 'normal',
    reply: options.reply ?? 'The projector hums. Something in row nine is breathing.',
    delayMs: options.delayMs ?? 2000,
  };

  const answer = (res: ServerResponse, model: string): void => {
    answered++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${answered}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          { index: 0, message: { role: 'assistant', content: state.reply }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62 },
      }),
    );
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      res.writeHead(400).end();
      return;
    }
    requests.push({ path: req.url, authorization: req.headers.authorization, body });
    const model =
      typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string'
        ? body.model
        : 'unknown';
    switch (state.mode) {
      case 'normal':
        answer(res, model);
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer(res, model);
        }, state.delayMs);
        timers.add(timer);
        res.on('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'error':
        answered++;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'model crashed', type: 'server_error' } }));
        return;
      case 'malformed':
        answered++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"choices": [{"message": {"content": "Don\'t');
        return;
      case 'empty':
        answered++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'chatcmpl-empty', object: 'chat.completion', choices: [] }));
        return;
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get mode() {
      return state.mode;
    },
    set mode(m: OpenAiTestMode) {
      state.mode = m;
    },
    get reply() {
      return state.reply;
    },
    set reply(r: string) {
      state.reply = r;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(d: number) {
      state.delayMs = d;
    },
    requests,
    get answered() {
      return answered;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const s of sockets) s.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
