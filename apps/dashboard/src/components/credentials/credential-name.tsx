import type { ReactNode } from "react";

/**
 * A credential as its tables name it: the name people gave it over its id (the key id or the
 * `client_id`), which is what the CLI and the audit trail show; `children` go under both.
 */
export function CredentialName({ name, id, children }: { name: string; id: string; children?: ReactNode }) {
  // long names and ids are cut to keep the table within the page; the whole text is on hover
  return (
    <div className="flex max-w-56 min-w-0 flex-col">
      <span className="truncate font-medium" title={name}>
        {name}
      </span>
      <code
        className="max-w-full truncate bg-transparent p-0 text-[11px] whitespace-nowrap text-text-muted"
        title={id}
      >
        {id}
      </code>
      {children}
    </div>
  );
}
