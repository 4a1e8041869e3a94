import type { Prisma } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";

/** A model's links to others that requests follow: its alias target and its fallback. */
export interface CatalogueLinks {
  aliasOfId: string | null;
  fallbackModelId: string | null;
}

export type CatalogueGraph = Map<string, CatalogueLinks>;

export async function readCatalogueGraph(tx: Prisma.TransactionClient): Promise<CatalogueGraph> {
  const models = await tx.model.findMany({ select: { id: true, aliasOfId: true, fallbackModelId: true } });
  return new Map(models.map((model) => [model.id, model]));
}

/**
 * A loop that following aliases and fallbacks would walk (`a → b → a`), or null. Each model has
 * at most two links, so this is one depth-first walk over the catalogue, linear in its size.
 */
export function findLoop(graph: CatalogueGraph): string[] | null {
  const state = new Map<string, "open" | "done">();
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    // the path being walked, with the links of each model not yet followed
    const path: { id: string; next: string[] }[] = [{ id: start, next: linksOf(graph, start) }];
    state.set(start, "open");
    while (path.length > 0) {
      const top = path[path.length - 1] as { id: string; next: string[] };
      const next = top.next.pop();
      if (next === undefined) {
        state.set(top.id, "done");
        path.pop();
        continue;
      }
      if (state.get(next) === "open") {
        const from = path.findIndex((step) => step.id === next);
        return [...path.slice(from).map((step) => step.id), next];
      }
      if (state.has(next) || !graph.has(next)) continue;
      state.set(next, "open");
      path.push({ id: next, next: linksOf(graph, next) });
    }
  }
  return null;
}

function linksOf(graph: CatalogueGraph, id: string): string[] {
  const links = graph.get(id);
  if (!links) return [];
  return [links.aliasOfId, links.fallbackModelId].filter((link): link is string => link !== null);
}

/** Refuses a catalogue (as it would be after a change) in which requests could walk a loop. */
export function assertNoLoop(graph: CatalogueGraph, param: string): void {
  const loop = findLoop(graph);
  if (loop) {
    throw new DomainError(
      "invalid",
      `That would make a loop of aliases and fallbacks: ${loop.join(" → ")}.`,
      param,
    );
  }
}
