// Test runner configuration: unit, integration (real sandbox on loopback) and e2e (Chromium) projects.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Two files at a time even on two cores (the default would be one): most tests wait on loopback servers, timers
    // and child processes rather than the CPU.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts', 'test/e2e/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
          // Files share what they import. The only module mock is 'electron' (test/electron/fake-electron.ts), the same in
          // every file that mocks it, so a shared module graph sees one consistent stand-in.
          isolate: false,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // No module mocks here, and every test builds its own servers and cores: the files can share what they import
          // (oidc-provider, fastify, undici, zod...) instead of loading it again for each file, about a third of the CPU.
          isolate: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // After the other projects (a group of its own), two Chromium-driven files at a time, sharing their imports.
          isolate: false,
          sequence: { groupOrder: 1 },
          // Pages poll for what the core pushed; on a shared, busy machine that can take longer than the 1 s default.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
