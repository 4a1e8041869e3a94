export { modelAvailableTo, modelsAvailableTo } from "./organization-models.ts";
