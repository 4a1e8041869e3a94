"use client";

import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useState } from "react";
import { useTRPC } from "../../trpc/client.tsx";
import { OrganizationFilter } from "../organization-picker.tsx";
import { cx } from "../ui/cx.ts";
import { inputClasses } from "../ui/input.tsx";
import { Select, type SelectOption } from "../ui/select.tsx";
import { OTHER_GROUP_KEY } from "./usage-data.ts";
import {
  BUCKET_LABELS,
  BUCKET_MS,
  bucketsFor,
  customRange,
  MAX_RANGE_MS,
  PRESETS,
  parseDay,
  presetDays,
  RANGE_PRESETS,
  type RangeChoice,
} from "./usage-range.ts";
import {
  analyticsInput,
  bucketOf,
  GROUPING_LABELS,
  groupingsFor,
  rangeOf,
  type UsageGroupBy,
  type UsageView,
} from "./usage-view.ts";

const ANY = "any";

/** A labelled control of the toolbar: the label above, for sighted users and screen readers alike. */
function Control({
  label,
  htmlFor,
  children,
  className,
}: {
  label: string;
  /** the control's id; without it the control must carry its own aria-label */
  htmlFor?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      {htmlFor ? (
        <label htmlFor={htmlFor} className="text-xs font-medium text-text-muted">
          {label}
        </label>
      ) : (
        // the control names itself (aria-label); this is the same word for the eye
        <span aria-hidden="true" className="text-xs font-medium text-text-muted">
          {label}
        </span>
      )}
      {children}
    </div>
  );
}

/** The range, bucket, organization, grouping and filters of the usage page. */
export function UsageControls({
  view,
  now,
  isAdmin,
  onChange,
}: {
  view: UsageView;
  now: Date;
  isAdmin: boolean;
  onChange: (change: Partial<UsageView>) => void;
}) {
  const ids = { range: useId(), bucket: useId(), groupBy: useId(), model: useId(), key: useId() };
  const range = rangeOf(view, now);
  const buckets =
    view.range === "custom"
      ? bucketsFor(range.to.getTime() - range.from.getTime(), range.from, now)
      : [...PRESETS[view.range].buckets];
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <Control label="Range" htmlFor={ids.range} className="w-44">
          <Select
            id={ids.range}
            value={view.range}
            onValueChange={(value) => {
              const choice = value as RangeChoice;
              if (choice === "custom") {
                onChange({ range: "custom", ...rangeDays(view, now), bucket: bucketOf(view) });
              } else {
                onChange({ range: choice, bucket: undefined, firstDay: undefined, lastDay: undefined });
              }
            }}
            options={[
              ...RANGE_PRESETS.map((preset) => ({ value: preset, label: PRESETS[preset].label })),
              { value: "custom", label: "Custom range" },
            ]}
          />
        </Control>
        {view.range === "custom" ? <CustomRangeFields view={view} onChange={onChange} /> : null}
        <Control label="Buckets" htmlFor={ids.bucket} className="w-36">
          <Select
            id={ids.bucket}
            value={bucketOf(view)}
            disabled={buckets.length < 2}
            onValueChange={(value) => onChange({ bucket: buckets.find((bucket) => bucket === value) })}
            options={buckets.map((bucket) => ({ value: bucket, label: BUCKET_LABELS[bucket] }))}
          />
        </Control>
        {isAdmin ? (
          <Control label="Organization">
            <OrganizationFilter
              value={view.organizationId}
              onChange={(organizationId) => onChange({ organizationId, apiKeyId: undefined })}
            />
          </Control>
        ) : null}
        <Control label="Group by" htmlFor={ids.groupBy} className="w-44">
          <Select
            id={ids.groupBy}
            value={view.groupBy}
            onValueChange={(value) => onChange({ groupBy: value as UsageGroupBy })}
            options={groupingsFor(view.organizationId).map((groupBy) => ({
              value: groupBy,
              label: GROUPING_LABELS[groupBy],
            }))}
          />
        </Control>
        <ModelFilter id={ids.model} view={view} now={now} onChange={onChange} />
        {view.organizationId ? <KeyFilter id={ids.key} view={view} onChange={onChange} /> : null}
      </div>
      {!isAdmin || view.organizationId ? null : (
        <p className="text-xs text-text-muted">
          Choose an organization to filter by API key or group by end user.
        </p>
      )}
    </div>
  );
}

/** The days a custom range starts with: those of the range shown so far. */
function rangeDays(view: UsageView, now: Date): { firstDay: string; lastDay: string } {
  if (view.range === "custom" && view.firstDay && view.lastDay) {
    return { firstDay: view.firstDay, lastDay: view.lastDay };
  }
  return presetDays(view.range === "custom" ? "7d" : view.range, now);
}

const LONGEST_DAYS = MAX_RANGE_MS.day / BUCKET_MS.day;

/**
 * The first and last day of a custom range. The address only ever holds a valid range, so a
 * half-typed or impossible one stays here, with what is wrong with it, until it is valid.
 */
function CustomRangeFields({
  view,
  onChange,
}: {
  view: UsageView;
  onChange: (change: Partial<UsageView>) => void;
}) {
  const firstId = useId();
  const lastId = useId();
  const problemId = useId();
  const [firstDay, setFirstDay] = useState(view.firstDay ?? "");
  const [lastDay, setLastDay] = useState(view.lastDay ?? "");
  useEffect(() => setFirstDay(view.firstDay ?? ""), [view.firstDay]);
  useEffect(() => setLastDay(view.lastDay ?? ""), [view.lastDay]);
  const problem = customRangeProblem(firstDay, lastDay);

  function change(nextFirst: string, nextLast: string) {
    setFirstDay(nextFirst);
    setLastDay(nextLast);
    if (customRange(nextFirst, nextLast, undefined)) onChange({ firstDay: nextFirst, lastDay: nextLast });
  }

  return (
    <>
      <Control label="First day (UTC)" htmlFor={firstId}>
        <input
          id={firstId}
          type="date"
          className={cx(inputClasses, "w-40")}
          value={firstDay}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
          onChange={(event) => change(event.target.value, lastDay)}
        />
      </Control>
      <Control label="Last day (UTC)" htmlFor={lastId}>
        <input
          id={lastId}
          type="date"
          className={cx(inputClasses, "w-40")}
          value={lastDay}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
          onChange={(event) => change(firstDay, event.target.value)}
        />
      </Control>
      {problem ? (
        <p id={problemId} role="alert" className="basis-full text-sm text-danger">
          {problem}
        </p>
      ) : null}
    </>
  );
}

function customRangeProblem(firstDay: string, lastDay: string): string | null {
  const first = parseDay(firstDay);
  const last = parseDay(lastDay);
  if (!first || !last) return "Enter the first and the last day of the range.";
  if (last < first) return "The last day must not be before the first.";
  if (!customRange(firstDay, lastDay, undefined)) return `A range can span at most ${LONGEST_DAYS} days.`;
  return null;
}

/**
 * The models that served requests in the range (and organization), from the same procedure
 * grouped by model: the platform's model list would offer models nobody used.
 */
function ModelFilter({
  id,
  view,
  now,
  onChange,
}: {
  id: string;
  view: UsageView;
  now: Date;
  onChange: (change: Partial<UsageView>) => void;
}) {
  const trpc = useTRPC();
  const models = useQuery(
    trpc.usage.analytics.queryOptions(
      analyticsInput({ ...view, groupBy: "model", modelId: undefined }, now),
      { staleTime: 60_000 },
    ),
  );
  const options = (models.data?.groups ?? [])
    .filter((group) => group.key !== OTHER_GROUP_KEY)
    .map((group) => ({ value: group.key, label: group.label }));
  return (
    <AnyOrOneFilter
      id={id}
      label="Model"
      anyLabel="Every model"
      value={view.modelId}
      options={options}
      onValueChange={(modelId) => onChange({ modelId })}
    />
  );
}

/** The organization's API keys (the 100 newest). */
function KeyFilter({
  id,
  view,
  onChange,
}: {
  id: string;
  view: UsageView;
  onChange: (change: Partial<UsageView>) => void;
}) {
  const trpc = useTRPC();
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ organizationId: view.organizationId, limit: 100 }));
  const options = (keys.data?.items ?? []).map((key) => ({
    value: key.id,
    label: key.name,
    // a revoked or expired key still has its past usage
    detail: key.state === "active" ? undefined : key.state,
  }));
  return (
    <AnyOrOneFilter
      id={id}
      label="API key"
      anyLabel="Every key"
      value={view.apiKeyId}
      options={options}
      onValueChange={(apiKeyId) => onChange({ apiKeyId })}
    />
  );
}

/**
 * A filter on one model, key or the like, or none. The value from the address stays selectable
 * when it is not among the options (a model that served nothing in this range, a key past the
 * newest 100).
 */
function AnyOrOneFilter({
  id,
  label,
  anyLabel,
  value,
  options,
  onValueChange,
}: {
  id: string;
  label: string;
  anyLabel: string;
  value: string | undefined;
  options: SelectOption[];
  onValueChange: (value: string | undefined) => void;
}) {
  const isMissing = value && !options.some((option) => option.value === value);
  const choices = isMissing ? [{ value, label: value }, ...options] : options;
  return (
    <Control label={label} htmlFor={id} className="w-52">
      <Select
        id={id}
        value={value ?? ANY}
        onValueChange={(chosen) => onValueChange(chosen === ANY ? undefined : chosen)}
        options={[{ value: ANY, label: anyLabel }, ...choices]}
      />
    </Control>
  );
}
