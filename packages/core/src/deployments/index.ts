export { alwaysAvailableHealth } from "./always-available-health.ts";
export {
  createDeploymentRouter,
  type DeploymentRouter,
  type DeploymentRouterOptions,
  failedBeforeAnswer,
  NoDeploymentAvailableError,
  newRoutingBudget,
  type RoutedAttempt,
  type RoutedCall,
  type RoutingBudget,
} from "./deployment-router.ts";
export { compileModelRoutes, type ModelRoutes, type RoutedDeployment } from "./model-routes.ts";
