// Jest runs the TypeScript suites in tests/ directly through ts-jest; the provider host loads dist/, built by pretest.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] },
  testTimeout: 60000,
  maxWorkers: 2,
};
