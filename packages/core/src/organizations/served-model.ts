import type { Model, ModelDeployment } from "@dsc/db";

/** A model row with its deployments, disabled ones included, preferred group first (OrganizationSnapshot). */
export type DeployedModel = Model & { deployments: readonly ModelDeployment[] };

/**
 * A model an organization may name in a request: one of its tier's, or an alias of one of
 * them (a tier may use an alias when it may use the alias or its target). An alias carries its
 * target, which serves its requests.
 */
export type ServedModel = DeployedModel & { aliasOf: DeployedModel | null };
