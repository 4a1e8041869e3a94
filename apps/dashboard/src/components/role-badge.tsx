import { ROLES } from "@dsc/trpc/schemas";
import { Badge, type BadgeTone } from "./ui/badge.tsx";

const ROLE_LOOK: Record<string, { label: string; tone: BadgeTone }> = {
  ADMIN: { label: "Admin", tone: "accent" },
  COMPLIANCE: { label: "Compliance", tone: "warning" },
  OWNER: { label: "Owner", tone: "accent" },
  DEVELOPER: { label: "Developer", tone: "neutral" },
  VIEWER: { label: "Viewer", tone: "neutral" },
  NONE: { label: "No organization", tone: "neutral" },
};

export function RoleBadge({ role }: { role: string }) {
  const look = ROLE_LOOK[role] ?? { label: role, tone: "neutral" as const };
  return <Badge tone={look.tone}>{look.label}</Badge>;
}

export const ROLE_LABELS: Record<string, string> = {
  ADMIN: "Admin",
  COMPLIANCE: "Compliance officer",
  DEVELOPER: "Developer",
};

/** Every role, as a select offers them. */
export const ROLE_OPTIONS = ROLES.map((name) => ({ value: name, label: ROLE_LABELS[name] ?? name }));
