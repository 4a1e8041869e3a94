import { createChatCompletionOperation } from "./chat/create-chat-completion.ts";
import { deleteUserDataOperation } from "./compliance/delete-user-data.ts";
import { exportUserDataOperation } from "./compliance/export-user-data.ts";
import { retrieveDeletionRequestOperation } from "./compliance/retrieve-deletion-request.ts";
import type { OperationDefinition } from "./define-operation.ts";
import { deleteFileOperation } from "./files/delete-file.ts";
import { listFilesOperation } from "./files/list-files.ts";
import { retrieveFileOperation } from "./files/retrieve-file.ts";
import { retrieveFileContentOperation } from "./files/retrieve-file-content.ts";
import { createFileOperation } from "./files/upload-file.ts";
import { getDeploymentHealthOperation } from "./meta/get-deployment-health.ts";
import { getLivenessOperation } from "./meta/get-liveness.ts";
import { getMetricsOperation } from "./meta/get-metrics.ts";
import { getOpenApiDocumentOperation } from "./meta/get-open-api-document.ts";
import { getReadinessOperation } from "./meta/get-readiness.ts";
import { listApiVersionsOperation } from "./meta/list-api-versions.ts";
import { listModelsOperation } from "./models/list-models.ts";
import { retrieveModelOperation } from "./models/retrieve-model.ts";
import { createAccessTokenOperation } from "./oauth/create-access-token.ts";
import { getAuthorizationServerMetadataOperation } from "./oauth/get-authorization-server-metadata.ts";
import { getJwksOperation } from "./oauth/get-jwks.ts";

export * from "./define-operation.ts";
export * from "./operation-url.ts";
export {
  createAccessTokenOperation,
  createChatCompletionOperation,
  createFileOperation,
  deleteFileOperation,
  deleteUserDataOperation,
  exportUserDataOperation,
  getAuthorizationServerMetadataOperation,
  getDeploymentHealthOperation,
  getJwksOperation,
  getLivenessOperation,
  getMetricsOperation,
  getOpenApiDocumentOperation,
  getReadinessOperation,
  listApiVersionsOperation,
  listFilesOperation,
  listModelsOperation,
  retrieveDeletionRequestOperation,
  retrieveFileContentOperation,
  retrieveFileOperation,
  retrieveModelOperation,
};

/**
 * Every public operation, in the order the OpenAPI document lists them. Adding an endpoint:
 * a definition in the folder of its area, listed here, served with the gateway's serveOperation.
 */
export const OPERATIONS: readonly OperationDefinition[] = [
  createAccessTokenOperation,
  getJwksOperation,
  getAuthorizationServerMetadataOperation,
  deleteUserDataOperation,
  retrieveDeletionRequestOperation,
  exportUserDataOperation,
  listModelsOperation,
  retrieveModelOperation,
  createChatCompletionOperation,
  createFileOperation,
  listFilesOperation,
  retrieveFileOperation,
  deleteFileOperation,
  retrieveFileContentOperation,
  listApiVersionsOperation,
  getOpenApiDocumentOperation,
  getLivenessOperation,
  getReadinessOperation,
  getMetricsOperation,
  getDeploymentHealthOperation,
];
