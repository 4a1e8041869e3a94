export { type Clock, systemClock } from "./clock.ts";
export { parseDuration } from "./duration.ts";
