import type { ReactNode } from "react";

/**
 * A credential as its tables name it: the name people gave it over its id (the key id or the
 * `client_id`), which is what the CLI and the audit trail show; `children` go under both.
 */
export function CredentialName({ name, id, children }: { name: string; id: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col">
      <span className="font-medium">{name}</span>
      <code className="w-fit bg-transparent p-0 text-[11px] whitespace-nowrap text-text-muted">{id}</code>
      {children}
    </div>
  );
}
