"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc/client.tsx";
import { Select } from "./ui/select.tsx";

/** The most organizations a picker lists; beyond that, open the organization from its page. */
const PICKER_LIMIT = 100;

/** Chooses an organization by name (with an "all" entry for filters). */
export function OrganizationPicker({
  value,
  onValueChange,
  allLabel,
  id,
  "aria-invalid": ariaInvalid,
  "aria-describedby": ariaDescribedBy,
  "aria-label": ariaLabel,
  className,
}: {
  value: string | undefined;
  onValueChange: (value: string) => void;
  /** when set, the first entry (value "all") means every organization */
  allLabel?: string;
  id?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
  "aria-label"?: string;
  className?: string;
}) {
  const trpc = useTRPC();
  const organizations = useQuery(trpc.organizations.list.queryOptions({ limit: PICKER_LIMIT }));
  const options = [...(organizations.data?.items ?? [])]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((org) => ({ value: org.id, label: org.name, detail: org.tier }));
  // an organization chosen elsewhere (a link) stays selectable even beyond the first page
  if (value && value !== "all" && !options.some((option) => option.value === value)) {
    options.unshift({ value, label: value, detail: "" });
  }
  return (
    <Select
      id={id}
      aria-invalid={ariaInvalid}
      aria-describedby={ariaDescribedBy}
      aria-label={ariaLabel}
      className={className}
      value={value}
      onValueChange={onValueChange}
      placeholder={organizations.isPending ? "Loading organizations…" : "Choose an organization"}
      options={allLabel ? [{ value: "all", label: allLabel }, ...options] : options}
    />
  );
}

/** A list's organization filter: every organization, or one ("all" stands for none chosen). */
export function OrganizationFilter({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (organizationId: string | undefined) => void;
}) {
  return (
    <div className="w-64">
      <OrganizationPicker
        aria-label="Organization"
        allLabel="All organizations"
        value={value ?? "all"}
        onValueChange={(chosen) => onChange(chosen === "all" ? undefined : chosen)}
      />
    </div>
  );
}
