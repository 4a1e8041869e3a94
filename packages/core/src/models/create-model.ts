import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { readModelView } from "./get-model.ts";
import { lockCatalogue } from "./model-change.ts";
import {
  assertValidContextWindow,
  assertValidModelId,
  assertValidOwner,
  assertValidPrice,
} from "./model-rules.ts";
import { findTiersBySlug } from "./model-tiers.ts";
import type { ModelView } from "./model-view.ts";

export interface CreateModelInput {
  id: string;
  /** OPENAI_COMPATIBLE (default): served by its deployments; LOCAL: the built-in model */
  provider?: "LOCAL" | "OPENAI_COMPATIBLE";
  ownedBy?: string;
  contextWindow: number;
  inputPricePerMTokens: number;
  outputPricePerMTokens: number;
  /** slugs of the tiers that may call it; none: no organization can until some are given */
  tiers: string[];
  routingStrategy?: "WEIGHTED" | "LEAST_IN_FLIGHT";
  actor: Actor;
}

/** Adds a model to the catalogue, enabled; it needs a deployment (or the default upstream) to answer. */
export async function createModel(
  deps: { db: Database; clock: Clock },
  input: CreateModelInput,
): Promise<ModelView> {
  const id = assertValidModelId(input.id, "id");
  const ownedBy = assertValidOwner(input.ownedBy ?? "system");
  assertValidContextWindow(input.contextWindow);
  assertValidPrice(input.inputPricePerMTokens, "inputPricePerMTokens");
  assertValidPrice(input.outputPricePerMTokens, "outputPricePerMTokens");
  try {
    return await deps.db.$transaction(async (tx) => {
      await lockCatalogue(tx);
      const tiers = await findTiersBySlug(tx, input.tiers);
      await tx.model.create({
        data: {
          id,
          provider: input.provider ?? "OPENAI_COMPATIBLE",
          ownedBy,
          contextWindow: input.contextWindow,
          inputPricePerMTokens: input.inputPricePerMTokens,
          outputPricePerMTokens: input.outputPricePerMTokens,
          routingStrategy: input.routingStrategy ?? "WEIGHTED",
          createdAt: deps.clock.now(),
          tiers: { connect: tiers.map((tier) => ({ id: tier.id })) },
        },
      });
      await recordAuditEvent(tx, deps.clock, {
        actor: input.actor,
        action: "model.create",
        target: { type: "model", id },
        metadata: {
          provider: input.provider ?? "OPENAI_COMPATIBLE",
          contextWindow: input.contextWindow,
          inputPricePerMTokens: input.inputPricePerMTokens,
          outputPricePerMTokens: input.outputPricePerMTokens,
          tiers: tiers.map((tier) => tier.slug).sort(),
        },
      });
      return readModelView(tx, deps.clock, id);
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new DomainError("conflict", `A model \`${id}\` already exists.`, "id");
    }
    throw error;
  }
}
