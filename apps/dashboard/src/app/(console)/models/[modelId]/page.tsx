import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireRole } from "../../../../server/session.ts";
import { getServerCaller } from "../../../../server/trpc-caller.ts";
import { ModelDetailsView } from "./model-details.tsx";

type Params = { params: Promise<{ modelId: string }> };

/** One model through the procedure the browser uses; once per request (title and page both ask). */
const loadModel = cache(async (modelId: string) => {
  const caller = await getServerCaller();
  return caller.models.get({ modelId }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  });
});

/** Model ids hold no `%`, so decoding twice (whether or not the router decoded) is harmless. */
function modelIdOf(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const model = await loadModel(modelIdOf((await params).modelId)).catch(() => null);
  return { title: model ? `Model ${model.id}` : "Not found" };
}

/** A model with its deployments and their live health; 404 for an id that names none. */
export default async function ModelPage({ params }: Params) {
  await requireRole("ADMIN");
  const model = await loadModel(modelIdOf((await params).modelId));
  return <ModelDetailsView initial={model} />;
}
