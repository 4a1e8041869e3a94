/** A dashboard person as lists name them: the name, or the e-mail address for someone without one. */
export function PersonName({
  name,
  email,
  isSelf = false,
}: {
  name: string | null;
  email: string;
  /** marks the signed-in person's own row */
  isSelf?: boolean;
}) {
  return (
    <div className="flex flex-col">
      <span className="font-medium">
        {name ?? email}
        {isSelf ? <span className="ml-2 text-xs font-normal text-text-muted">(you)</span> : null}
      </span>
      {name ? <span className="text-xs text-text-muted">{email}</span> : null}
    </div>
  );
}
