import { router } from "../procedure.ts";
import { createModelProcedure } from "./create-model.ts";
import { deploymentHealthProcedure } from "./deployment-health.ts";
import { getModelProcedure } from "./get-model.ts";
import { listModelsProcedure } from "./list-models.ts";
import {
  addDeploymentProcedure,
  removeDeploymentProcedure,
  updateDeploymentProcedure,
} from "./model-deployments.ts";
import { retireModelProcedure, unretireModelProcedure } from "./retire-model.ts";
import { setModelEnabledProcedure } from "./set-model-enabled.ts";
import { setModelAliasProcedure, setModelFallbackProcedure } from "./set-model-links.ts";
import { setModelTiersProcedure } from "./set-model-tiers.ts";
import { updateModelProcedure } from "./update-model.ts";

export const modelsRouter = router({
  list: listModelsProcedure,
  get: getModelProcedure,
  deploymentHealth: deploymentHealthProcedure,
  create: createModelProcedure,
  update: updateModelProcedure,
  setTiers: setModelTiersProcedure,
  setEnabled: setModelEnabledProcedure,
  retire: retireModelProcedure,
  unretire: unretireModelProcedure,
  setAlias: setModelAliasProcedure,
  setFallback: setModelFallbackProcedure,
  addDeployment: addDeploymentProcedure,
  updateDeployment: updateDeploymentProcedure,
  removeDeployment: removeDeploymentProcedure,
});
