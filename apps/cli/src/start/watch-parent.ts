/**
 * Preloaded (`node --import`) into every app the `npm start` supervisor runs. The apps run in
 * process groups of their own, so that a terminal's Ctrl-C reaches only the supervisor, which
 * then stops them in order; the price is that nothing stops them if the supervisor itself
 * dies without a chance to (SIGKILL, a crash). So each app watches its parent: once it has
 * been re-parented, it sends itself SIGTERM and shuts down as it would when stopped, flushing
 * what it holds. A timer rather than a pipe, so that the apps' own stdio stays untouched.
 */
const CHECK_EVERY_MS = 1_000;

const parent = process.ppid;
const timer = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(timer);
  process.kill(process.pid, "SIGTERM");
}, CHECK_EVERY_MS);
// never the reason the app stays up
timer.unref();
