"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "../trpc/client.tsx";
import { errorMessage } from "../trpc/errors.ts";
import { RoleBadge } from "./role-badge.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "./ui/dropdown-menu.tsx";
import { BuildingIcon, CheckIcon, ChevronDownIcon } from "./ui/icons.tsx";

/**
 * The organization a member works in now. With more than one, a menu switches: the next
 * requests see the chosen one, so the page starts again at the overview.
 */
export function OrganizationSwitcher({ organizationCount }: { organizationCount: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const organizations = useQuery(trpc.account.organizations.queryOptions());
  const switchTo = useMutation(
    trpc.account.switchOrganization.mutationOptions({
      onSuccess: () => {
        router.refresh();
        router.push("/overview");
      },
    }),
  );
  const current = organizations.data?.find((organization) => organization.current);
  const name = current?.name ?? (organizations.isPending ? "…" : "No organization");
  const label = (
    <span className="flex min-w-0 flex-1 items-center gap-2">
      <BuildingIcon className="size-4 shrink-0 text-text-muted" />
      <span className="truncate text-sm font-medium text-text">{name}</span>
    </span>
  );
  if (organizationCount < 2) {
    return <div className="flex items-center px-2 py-1.5">{label}</div>;
  }
  return (
    <div className="flex flex-col gap-1">
      <DropdownMenu>
        <DropdownMenuTrigger
          className="flex w-full cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-left hover:bg-surface-muted"
          aria-label={`Organization: ${name}. Switch organization`}
        >
          {label}
          <ChevronDownIcon className="size-4 shrink-0 text-text-muted" />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start">
          <DropdownMenuLabel>Switch organization</DropdownMenuLabel>
          <DropdownMenuSeparator />
          {(organizations.data ?? []).map((organization) => (
            <DropdownMenuItem
              key={organization.organizationId}
              disabled={organization.current || switchTo.isPending}
              onSelect={() => switchTo.mutate({ organizationId: organization.organizationId })}
            >
              {organization.current ? (
                <CheckIcon className="size-4" aria-label="current" />
              ) : (
                <span className="size-4" />
              )}
              <span className="flex-1 truncate">{organization.name}</span>
              <RoleBadge role={organization.role} />
            </DropdownMenuItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>
      {switchTo.isError ? (
        <p role="alert" className="px-2 text-xs font-medium text-danger">
          {errorMessage(switchTo.error)}
        </p>
      ) : null}
    </div>
  );
}
