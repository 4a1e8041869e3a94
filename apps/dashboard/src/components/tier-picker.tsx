"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc/client.tsx";
import { Select } from "./ui/select.tsx";

/** Chooses a tier by its slug, showing each tier's requests per minute. */
export function TierPicker({
  value,
  onValueChange,
  id,
  "aria-invalid": ariaInvalid,
  "aria-describedby": ariaDescribedBy,
}: {
  value: string | undefined;
  onValueChange: (slug: string) => void;
  id?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}) {
  const trpc = useTRPC();
  const tiers = useQuery(trpc.tiers.list.queryOptions());
  return (
    <Select
      id={id}
      aria-invalid={ariaInvalid}
      aria-describedby={ariaDescribedBy}
      value={value}
      onValueChange={onValueChange}
      placeholder={tiers.isPending ? "Loading tiers…" : "Choose a tier"}
      options={(tiers.data ?? []).map((tier) => ({
        value: tier.slug,
        label: tier.name,
        detail: `${tier.requestsPerMinute} req/min`,
      }))}
    />
  );
}
