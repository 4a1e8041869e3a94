import { formatDate } from "../../../components/format.ts";
import { Badge } from "../../../components/ui/badge.tsx";
import type { Model } from "./models-list.tsx";

/** Where the model is in its life: served, switched off, retiring on a date, or shut down. */
export function ModelStatusBadge({ model }: { model: Pick<Model, "status" | "shutdownAt"> }) {
  switch (model.status) {
    case "enabled":
      return <Badge tone="success">Enabled</Badge>;
    case "disabled":
      return <Badge>Disabled</Badge>;
    case "retiring":
      return <Badge tone="warning">Retiring on {formatDate(model.shutdownAt)}</Badge>;
    case "shut_down":
      return <Badge tone="danger">Shut down</Badge>;
  }
}

/** "$0.27" for a price per million tokens, keeping every decimal set. */
export function formatPrice(usd: number): string {
  return `$${usd.toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;
}
