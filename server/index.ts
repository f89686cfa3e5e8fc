/**
 * `frisson` package entry: run a Frisson server in-process (tests, embedding) with the same
 * wiring as `frisson serve`.
 *
 * @example
 *   import { createFrissonServer, loadConfig } from 'frisson';
 *   const server = await createFrissonServer(loadConfig({ port: 0, story: 'data/demo' }));
 *   console.log(await server.listen());
 */
export { createFrissonServer, type FrissonServer, type FrissonServerDeps } from './app.js';
export { loadConfig, ConfigSchema, type Config } from './config.js';
export { ErrorCodes, FrissonError, type ErrorCode, type WireError } from '../contracts/errors.js';
export * from '../contracts/limits.js';
export * from '../contracts/wire.js';
export type { Store, SessionRecord, DecisionRecord, StoredSample } from './store/store.js';
export { SqliteStore } from './store/sqlite-store.js';
