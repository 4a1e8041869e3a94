"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../trpc/client.tsx";
import { formatNumber } from "../format.ts";
import { Figure, QueryCard } from "./card-states.tsx";

/** API keys that work now: the developer's organization's, or every organization's. */
export function ActiveKeysCard({ isOwnOrganization }: { isOwnOrganization: boolean }) {
  const trpc = useTRPC();
  const keys = useQuery(trpc.overview.activeKeys.queryOptions());
  return (
    <QueryCard
      title="Active API keys"
      description={
        isOwnOrganization
          ? "Keys of your organization that are neither revoked nor expired."
          : "Keys of every organization that are neither revoked nor expired."
      }
      query={keys}
      loadingLabel="Loading active keys"
    >
      {(data) => (
        <div className="flex flex-col gap-3">
          <Figure
            label="Active keys"
            value={formatNumber(data.activeKeys)}
            detail={
              data.activeKeys === 0
                ? isOwnOrganization
                  ? "No key can call the API yet. Create one to make your first request."
                  : "No key can call the API yet."
                : null
            }
          />
          <Link href="/api-keys" className="text-sm font-medium">
            {isOwnOrganization && data.activeKeys === 0 ? "Create an API key" : "Manage API keys"}
          </Link>
        </div>
      )}
    </QueryCard>
  );
}
