/**
 * What the usage page shows, kept in the address so that a view can be shared and reloaded:
 * parsed from the search parameters (anything unknown or out of bounds falls back to the
 * default, as the address is anyone's to type), and written back with the defaults left out.
 */
import { USAGE_GROUPINGS, type UsageGrouping } from "@dsc/trpc/schemas";
import {
  customRange,
  DEFAULT_PRESET,
  PRESETS,
  presetRange,
  RANGE_PRESETS,
  type RangeChoice,
  USAGE_BUCKETS,
  type UsageBucket,
  type UsageRange,
} from "./usage-range.ts";

export type UsageGroupBy = UsageGrouping;

export const GROUPING_LABELS: Record<UsageGroupBy, string> = {
  none: "No grouping",
  tier: "Tier",
  organization: "Organization",
  model: "Model",
  apiKey: "API key",
  endUser: "End user",
};

/** The same in a sentence ("Usage by hour and API key"). */
export const GROUPING_NOUNS: Record<UsageGroupBy, string> = {
  none: "",
  tier: "tier",
  organization: "organization",
  model: "model",
  apiKey: "API key",
  endUser: "end user",
};

export type UsageDisplay = "chart" | "table";

export interface UsageView {
  range: RangeChoice;
  /** the chosen bucket; one the range does not allow gives the range's default */
  bucket: UsageBucket | undefined;
  /** a custom range's first and last day ("YYYY-MM-DD", UTC, both included) */
  firstDay: string | undefined;
  lastDay: string | undefined;
  /** undefined = every organization (admins only) */
  organizationId: string | undefined;
  groupBy: UsageGroupBy;
  modelId: string | undefined;
  apiKeyId: string | undefined;
  display: UsageDisplay;
}

/** Who looks: a developer's organization is theirs whatever the address says. */
export interface UsageViewer {
  ownOrganizationId: string | null;
}

// as long as the procedure's input allows: anything longer in an address is not an id
const MAX_ID_LENGTH = 100;

function boundedId(value: string | null): string | undefined {
  return value && value.length <= MAX_ID_LENGTH ? value : undefined;
}

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((candidate) => candidate === value);
}

/**
 * The groupings that make sense for an organization choice: by organization only across all of
 * them, by end user only within one (an end-user id means something only in its organization).
 */
export function groupingsFor(organizationId: string | undefined): UsageGroupBy[] {
  return USAGE_GROUPINGS.filter((groupBy) =>
    groupBy === "organization" ? !organizationId : groupBy === "endUser" ? Boolean(organizationId) : true,
  );
}

/** Keeps a view consistent after a change: a grouping or key filter that no longer fits is dropped. */
export function normalizeUsageView(view: UsageView, viewer: UsageViewer): UsageView {
  const organizationId = viewer.ownOrganizationId ?? view.organizationId;
  const groupBy = groupingsFor(organizationId).includes(view.groupBy) ? view.groupBy : "none";
  const isCustomValid =
    view.range !== "custom" || customRange(view.firstDay, view.lastDay, undefined) !== null;
  return {
    ...view,
    range: isCustomValid ? view.range : DEFAULT_PRESET,
    firstDay: isCustomValid && view.range === "custom" ? view.firstDay : undefined,
    lastDay: isCustomValid && view.range === "custom" ? view.lastDay : undefined,
    organizationId,
    groupBy,
    // a key belongs to one organization
    apiKeyId: organizationId ? view.apiKeyId : undefined,
  };
}

export function parseUsageView(params: URLSearchParams, viewer: UsageViewer): UsageView {
  return normalizeUsageView(
    {
      range: oneOf([...RANGE_PRESETS, "custom"] as const, params.get("range")) ?? DEFAULT_PRESET,
      bucket: oneOf(USAGE_BUCKETS, params.get("bucket")),
      firstDay: boundedId(params.get("from")),
      lastDay: boundedId(params.get("to")),
      organizationId: boundedId(params.get("organizationId")),
      groupBy: oneOf(USAGE_GROUPINGS, params.get("groupBy")) ?? "none",
      modelId: boundedId(params.get("modelId")),
      apiKeyId: boundedId(params.get("apiKeyId")),
      display: params.get("view") === "table" ? "table" : "chart",
    },
    viewer,
  );
}

/** The search parameters of a view, defaults left out, in a fixed order (the same view, the same address). */
export function serializeUsageView(view: UsageView): string {
  const params = new URLSearchParams();
  if (view.range !== DEFAULT_PRESET) params.set("range", view.range);
  if (view.range === "custom") {
    if (view.firstDay) params.set("from", view.firstDay);
    if (view.lastDay) params.set("to", view.lastDay);
  }
  const bucket = bucketOf(view);
  if (view.range === "custom" || bucket !== PRESETS[view.range].buckets[0]) params.set("bucket", bucket);
  if (view.organizationId) params.set("organizationId", view.organizationId);
  if (view.groupBy !== "none") params.set("groupBy", view.groupBy);
  if (view.modelId) params.set("modelId", view.modelId);
  if (view.apiKeyId) params.set("apiKeyId", view.apiKeyId);
  if (view.display === "table") params.set("view", "table");
  return params.toString();
}

/** The bucket a view's points have: the chosen one when its range allows it, else the range's default. */
export function bucketOf(view: UsageView): UsageBucket {
  if (view.range !== "custom") {
    const offered = PRESETS[view.range].buckets;
    return view.bucket && offered.includes(view.bucket) ? view.bucket : offered[0];
  }
  return customRange(view.firstDay, view.lastDay, view.bucket)?.bucket ?? PRESETS[DEFAULT_PRESET].buckets[0];
}

/** The range a view covers, up to `now` for the presets. */
export function rangeOf(view: UsageView, now: Date): UsageRange {
  if (view.range === "custom") {
    const range = customRange(view.firstDay, view.lastDay, view.bucket);
    if (range) return range;
    // normalizeUsageView never leaves an invalid custom range; this only keeps the type whole
    return presetRange(DEFAULT_PRESET, undefined, now);
  }
  return presetRange(view.range, view.bucket, now);
}

/** The input of `usage.analytics` for a view (a developer's organization is forced by the server too). */
export function analyticsInput(view: UsageView, now: Date) {
  const { from, to, bucket } = rangeOf(view, now);
  return {
    from,
    to,
    bucket,
    groupBy: view.groupBy,
    ...(view.organizationId ? { organizationId: view.organizationId } : {}),
    ...(view.modelId ? { modelId: view.modelId } : {}),
    ...(view.apiKeyId ? { apiKeyId: view.apiKeyId } : {}),
  };
}
