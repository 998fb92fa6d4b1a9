import type { Env } from './env.schema.js';

/** Injection token for the parsed, typed environment. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export type AppConfig = Env;
