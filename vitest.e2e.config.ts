import { defineConfig } from "vitest/config";

/**
 * `npm run test:e2e`: the dashboard in a real headless Chromium against the platform as
 * `npm start` runs it (needs `npm run build` and a Chromium, see test/e2e/chromium.ts).
 */
export default defineConfig({
  test: {
    include: ["test/e2e/*.e2e.ts"],
    testTimeout: 180_000,
    // npm start first builds what changed since `npm run build` (minutes on a busy machine)
    hookTimeout: 660_000,
    // one platform and one browser for the file; its tests build on each other in order
    sequence: { concurrent: false },
  },
});
