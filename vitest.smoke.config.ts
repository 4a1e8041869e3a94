import { defineConfig } from "vitest/config";

/**
 * `npm run test:smoke`: the README's `npm install && npm start` on a fresh clone of what is
 * committed, which builds itself; minutes per start, the first one longest.
 */
export default defineConfig({
  test: {
    include: ["test/smoke/*.smoke.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
