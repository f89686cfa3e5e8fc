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
  /** Seconds published ahead of the player's playhead. */
  horizon: z.coerce.number().positive().max(30).default(1.5),
  /** Director deadline, ms: past it the rule picker answers. */
  deadlineMs: z.coerce.number().positive().max(1000).default(5),
  /** Picker: `threshold` (foundation rule), `fixed` (linear cut, director disabled), or `director`. */
  picker: z.enum(['threshold', 'fixed', 'director']).default('threshold'),
  /** Seconds of resting data before a viewer's baseline is set (signal calibration). */
  calibration: z.coerce.number().min(1).max(300).default(20),
  /** ONNX model used by the `director` picker. */
  model: z.string().default('models/pacing.onnx'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Base URL printed for players (defaults to http://host:port). */
  publicUrl: z.string().optional(),
});
export type Config = z.infer<typeof ConfigSchema>;

const ENV: Record<keyof Config, string> = {
  port: 'FRISSON_PORT',
  host: 'FRISSON_HOST',
  db: 'FRISSON_DB',
  story: 'FRISSON_STORY',
  horizon: 'FRISSON_HORIZON',
  deadlineMs: 'FRISSON_DEADLINE_MS',
  picker: 'FRISSON_PICKER',
  calibration: 'FRISSON_CALIBRATION_S',
  model: 'FRISSON_MODEL',
  logLevel: 'FRISSON_LOG_LEVEL',
  publicUrl: 'FRISSON_PUBLIC_URL',
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
