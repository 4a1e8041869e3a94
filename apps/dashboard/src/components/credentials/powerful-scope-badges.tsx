import { isPowerfulScope, POWERFUL_SCOPE_FLAGS } from "@dsc/trpc/schemas";
import { Badge } from "../ui/badge.tsx";

/** The flags of a credential that can erase end users or export their data; nothing for others. */
export function PowerfulScopeBadges({ scopes }: { scopes: readonly string[] }) {
  const powerful = scopes.filter(isPowerfulScope);
  if (powerful.length === 0) return null;
  return (
    <>
      {powerful.map((scope) => (
        <Badge key={scope} tone="danger">
          {POWERFUL_SCOPE_FLAGS[scope]}
        </Badge>
      ))}
    </>
  );
}
