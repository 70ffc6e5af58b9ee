import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "~": path.resolve(import.meta.dirname, "app") };

export default defineConfig({
  resolve: { alias },
  test: {
    globals: true,
    reporters: ["default"],
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["tests/unit/**/*.test.{ts,tsx}"], environment: "node", globals: true, sequence: { groupOrder: 0 } } },
      {
        resolve: { alias },
        test: { name: "integration", include: ["tests/integration/**/*.test.ts"], environment: "node", globals: true, testTimeout: 30_000, hookTimeout: 60_000, fileParallelism: true, maxWorkers: 2, sequence: { groupOrder: 1 } },
      },
      {
        resolve: { alias },
        test: { name: "browser", include: ["tests/browser/**/*.test.ts"], environment: "node", globals: true, testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
