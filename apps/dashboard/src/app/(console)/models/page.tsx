import type { Metadata } from "next";
import { requireRole } from "../../../server/session.ts";
import { ModelsList } from "./models-list.tsx";

export const metadata: Metadata = { title: "Models" };

/** Admins only: deployments name upstream addresses and key references. */
export default async function ModelsPage() {
  await requireRole("ADMIN");
  return <ModelsList />;
}
