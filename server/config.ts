/**
 * Configuration: environment variables (FRISSON_*), overridden by CLI flags, validated with zod.
 * The README's configuration table is generated from the same names.
 */
import { z } from 'zod';

export const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().default('127.0.0.1'),
  /** SQLite database file, created on first start. */
  db: z.string().default('data/frisson.db'),
  /** Story package directory (holds dist/manifest.json). */
  story: z.string().default('data/demo'),
  /**
   * Seconds published ahead of the player's playhead (decision → screen latency ≈ this). 1 s:
   * docs/design.md "Latency (measured)".
   */
  horizon: z.coerce.number().positive().max(30).default(1),
  /**
   * Cap of a session's horizon after its player stalls (+0.5 s per stall, narrowing back 0.25 s
   * per 30 s without one; server/session/adaptive-horizon.ts). Below `horizon` = never widened.
   */
  horizonMax: z.coerce.number().positive().max(30).default(3),
  /** Advertise and answer blocking playlist reloads (`_HLS_msn`); off = classic polling. */
  blockingReload: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(true),
  /** Director deadline, ms: past it the rule picker answers. */
  deadlineMs: z.coerce.number().positive().max(1000).default(5),
  /**
   * Picker: `director` (learned ONNX scorer + pacing + safety cap + personalisation, rule fallback
   * under the deadline), `threshold` (the foundation's arousal rule), `fixed` (director off).
   */
  picker: z.enum(['threshold', 'fixed', 'director']).default('director'),
  /** Seconds of resting data before a viewer's baseline is set (signal calibration). */
  calibration: z.coerce.number().min(1).max(300).default(20),
  /** ONNX model used by the `director` picker (default: the committed models/pacing.onnx). */
  model: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json` (one object per line), `pretty` (readable lines), `auto`: pretty at a terminal. */
  logFormat: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /** Record every consenting session's sample stream as a trace file in this directory. */
  traceDir: z.string().optional(),
  /** Base URL printed for players (defaults to http://host:port); a trailing `/` is dropped. */
  publicUrl: z
    .string()
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  /** Cluster mode: Redis URL for the socket.io adapter and live state (docs/operations.md). */
  redisUrl: z.string().url().optional(),
  /** This process's id in the cluster (default: random per start). */
  nodeId: z.string().min(1).max(64).optional(),
  /** HMAC secret for join tokens (generated and kept in the data dir when absent). */
  secret: z.string().min(16).optional(),
  /** Operator credential for /api/shows and the /operators namespace (operators off when absent). */
  operatorKey: z.string().min(8).optional(),
  /** Bearer token a Prometheus scrape sends for `/metrics` (the operator key works too). */
  metricsToken: z.string().min(16).optional(),
  /** Join token lifetime, seconds. */
  tokenTtl: z.coerce.number().int().positive().default(86_400),
  /** Days biometric samples are kept; older ones are purged at start and hourly (0 = keep). */
  retentionDays: z.coerce.number().min(0).default(30),
  /** Rate limit per session, seat or show (never per socket): events per second (bucket refill). */
  rateLimit: z.coerce.number().positive().default(50),
  /** Rate limit per session, seat or show: burst size (token bucket capacity). */
  rateBurst: z.coerce.number().int().positive().default(100),
  /** `POST /api/sessions` per client address: sessions created per minute (0 = no limit). */
  sessionCreateRate: z.coerce.number().int().min(0).default(20),
  /** Live sessions per process; creation answers 503 beyond it (0 = no cap). */
  maxSessions: z.coerce.number().int().min(0).default(2000),
  /** A home session with no playlist request, sample or playhead for this long ends (0 = never). */
  sessionIdleS: z.coerce.number().min(0).default(1800),
  /** Proxy hops in front of the server whose X-Forwarded-For is trusted for the client address. */
  trustProxy: z.coerce.number().int().min(0).default(0),
  /** Most socket.io connections at once; beyond it a new one is answered 503 FRISSON_ERR_UNAVAILABLE. */
  maxConnections: z.coerce.number().int().positive().default(5000),
  /** Largest socket.io frame (bytes) a connection may send before it authenticates. */
  preAuthFrameBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(32 * 1024),
  /** Seconds a socket.io connection may stay unauthenticated before it is closed. */
  authTimeout: z.coerce.number().positive().max(600).default(5),
  /** HTTP: ms to receive a request's headers (slowloris), then request body, then idle keep-alive. */
  httpHeadersTimeoutMs: z.coerce.number().int().positive().default(10_000),
  httpRequestTimeoutMs: z.coerce.number().int().positive().default(30_000),
  httpKeepAliveTimeoutMs: z.coerce.number().int().positive().default(5_000),
  /** Wrong operator keys one client address may try per minute; then 429 with Retry-After. */
  operatorAttempts: z.coerce.number().int().positive().default(10),
  /**
   * Answer a home viewer's per-second requests (playlists, subtitles, segments in memory) before
   * express (server/http/hot-path.ts). Same answers either way; off only to measure what it saves.
   */
  httpHotPath: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(true),
});
export type Config = z.infer<typeof ConfigSchema>;

const ENV: Record<keyof Config, string> = {
  port: 'FRISSON_PORT',
  host: 'FRISSON_HOST',
  db: 'FRISSON_DB',
  story: 'FRISSON_STORY',
  horizon: 'FRISSON_HORIZON',
  horizonMax: 'FRISSON_HORIZON_MAX',
  blockingReload: 'FRISSON_BLOCKING_RELOAD',
  deadlineMs: 'FRISSON_DEADLINE_MS',
  picker: 'FRISSON_PICKER',
  calibration: 'FRISSON_CALIBRATION_S',
  model: 'FRISSON_MODEL',
  logLevel: 'FRISSON_LOG_LEVEL',
  logFormat: 'FRISSON_LOG_FORMAT',
  publicUrl: 'FRISSON_PUBLIC_URL',
  redisUrl: 'FRISSON_REDIS_URL',
  nodeId: 'FRISSON_NODE_ID',
  traceDir: 'FRISSON_TRACE_DIR',
  secret: 'FRISSON_SECRET',
  operatorKey: 'FRISSON_OPERATOR_KEY',
  metricsToken: 'FRISSON_METRICS_TOKEN',
  tokenTtl: 'FRISSON_TOKEN_TTL_S',
  retentionDays: 'FRISSON_RETENTION_DAYS',
  rateLimit: 'FRISSON_RATE_LIMIT',
  rateBurst: 'FRISSON_RATE_BURST',
  sessionCreateRate: 'FRISSON_SESSION_CREATE_RATE',
  maxSessions: 'FRISSON_MAX_SESSIONS',
  sessionIdleS: 'FRISSON_SESSION_IDLE_S',
  trustProxy: 'FRISSON_TRUST_PROXY',
  maxConnections: 'FRISSON_MAX_CONNECTIONS',
  preAuthFrameBytes: 'FRISSON_PREAUTH_FRAME_BYTES',
  authTimeout: 'FRISSON_AUTH_TIMEOUT_S',
  httpHeadersTimeoutMs: 'FRISSON_HTTP_HEADERS_TIMEOUT_MS',
  httpRequestTimeoutMs: 'FRISSON_HTTP_REQUEST_TIMEOUT_MS',
  httpKeepAliveTimeoutMs: 'FRISSON_HTTP_KEEPALIVE_TIMEOUT_MS',
  operatorAttempts: 'FRISSON_OPERATOR_ATTEMPTS_PER_MIN',
  httpHotPath: 'FRISSON_HTTP_HOT_PATH',
};

/** Builds the config from `env` then `overrides` (CLI flags); throws a readable error when invalid. */
export function loadConfig(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  for (const [key, v] of Object.entries(overrides)) if (v !== undefined) raw[key] = v;
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      const envName = ENV[key as keyof Config] ?? key;
      return `  ${key} (${envName}): ${i.message}`;
    });
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const CONFIG_ENV = ENV;
