import type { Metadata } from "next";
import { OverviewPage } from "../../../components/overview/overview-page.tsx";
import { env } from "../../../env.ts";
import { requireConsoleUser } from "../../../server/session.ts";

export const metadata: Metadata = { title: "Overview" };

/** The landing page of every role; each card shows only what the role may see (the procedures check too). */
export default async function Overview() {
  const user = await requireConsoleUser();
  return <OverviewPage role={user.role} gatewayUrl={env.GATEWAY_PUBLIC_URL} />;
}
