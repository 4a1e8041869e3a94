import { defineConfig } from "vitest/config";

/** `npm run test:smoke`: the built platform as a user starts it (needs `npm run build`). */
export default defineConfig({
  test: {
    include: ["test/smoke/*.smoke.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
