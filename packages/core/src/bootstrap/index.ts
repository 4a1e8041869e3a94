export { type BootstrapInput, type BootstrapResult, bootstrapPlatform } from "./bootstrap-platform.ts";
