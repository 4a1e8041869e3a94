import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { errorMessage } from "../../trpc/errors.ts";
import { Section } from "../ui/page-header.tsx";
import { ErrorState, Skeleton } from "../ui/states.tsx";

/**
 * A card's body from its query: placeholder lines while it loads, the error with a retry when
 * it fails, else what `children` makes of the data. Each card has its own query, so one that
 * fails leaves the others.
 */
export function CardBody<T, E = unknown>({
  query,
  label,
  children,
}: {
  query: UseQueryResult<T, E>;
  /** what is loading, for screen readers: "Loading today's requests" */
  label: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <div role="status" aria-live="polite" className="flex flex-col gap-3">
        <span className="sr-only">{label}…</span>
        <Skeleton className="h-8 w-28" />
        <Skeleton className="h-3.5 w-64" />
        <Skeleton className="h-3.5 w-44" />
      </div>
    );
  }
  if (query.isError) {
    return (
      <ErrorState
        title="This could not be loaded"
        message={errorMessage(query.error)}
        onRetry={() => void query.refetch()}
      />
    );
  }
  return <>{children(query.data)}</>;
}

/** A card of the overview: its heading, then its body from its own query (see `CardBody`). */
export function QueryCard<T, E = unknown>({
  title,
  description,
  actions,
  query,
  loadingLabel,
  children,
}: {
  title: string;
  description: ReactNode;
  actions?: ReactNode;
  query: UseQueryResult<T, E>;
  /** what is loading, for screen readers: "Loading today's requests" */
  loadingLabel: string;
  children: (data: T) => ReactNode;
}) {
  return (
    <Section title={title} description={description} actions={actions}>
      <CardBody query={query} label={loadingLabel}>
        {children}
      </CardBody>
    </Section>
  );
}

/** A large figure with its name and a sentence under it. */
export function Figure({
  label,
  value,
  detail,
  tone = "text-text",
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  tone?: string;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <span className="text-sm text-text-muted">{label}</span>
      <span className={`text-3xl font-semibold tracking-tight tabular-nums ${tone}`}>{value}</span>
      {detail ? <span className="text-sm text-text-muted">{detail}</span> : null}
    </div>
  );
}
