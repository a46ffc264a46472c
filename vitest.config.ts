import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{packages,connectors,apps,bench}/*/src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn real processes and open real databases; two cores are shared by all of them.
    maxWorkers: 2,
  },
});
