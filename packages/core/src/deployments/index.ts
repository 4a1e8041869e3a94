export { alwaysAvailableHealth } from "./always-available-health.ts";
export {
  createDeploymentRouter,
  type DeploymentRouter,
  type DeploymentRouterOptions,
  failedBeforeAnswer,
  NoDeploymentAvailableError,
  type RoutedAttempt,
  type RoutedCall,
} from "./deployment-router.ts";
export { compileModelRoutes, type ModelRoutes, type RoutedDeployment } from "./model-routes.ts";
