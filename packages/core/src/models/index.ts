export { addModelDeployment } from "./add-model-deployment.ts";
export { type CreateModelInput, createModel } from "./create-model.ts";
export {
  createDeploymentHealthReader,
  type DeploymentHealthReader,
  type DeploymentHealthReading,
  type DeploymentHealthView,
} from "./deployment-health-reader.ts";
export {
  API_KEY_REF_PATTERN,
  DEPLOYMENT_BOUNDS,
  type DeploymentSettings,
} from "./deployment-rules.ts";
export { getModel } from "./get-model.ts";
export { listModels } from "./list-models.ts";
export {
  MAX_CONTEXT_WINDOW,
  MAX_PRICE_PER_M_TOKENS,
  MODEL_ID_PATTERN,
} from "./model-rules.ts";
export { type ModelDeploymentView, type ModelStatus, type ModelView, modelStatusAt } from "./model-view.ts";
export {
  chooseModel,
  type ModelChoice,
  type ModelRetirement,
  modelAvailableTo,
  modelsAvailableTo,
} from "./organization-models.ts";
export { quickstartModelFor } from "./quickstart-model.ts";
export { removeModelDeployment } from "./remove-model-deployment.ts";
export { retireModel, unretireModel } from "./retire-model.ts";
export { setModelAlias } from "./set-model-alias.ts";
export { setModelEnabled } from "./set-model-enabled.ts";
export { setModelFallback } from "./set-model-fallback.ts";
export { setModelTiers } from "./set-model-tiers.ts";
export { type ModelSettings, updateModel } from "./update-model.ts";
export { updateModelDeployment } from "./update-model-deployment.ts";
