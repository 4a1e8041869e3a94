import type { InputHTMLAttributes, ReactNode } from "react";

/**
 * A field of a card form (sign-up, password reset), as on the sign-in page: its error tied to
 * it for assistive technology.
 */
export function CardField({
  id,
  label,
  error,
  hint,
  ...input
}: {
  id: string;
  label: string;
  error: string | undefined;
  hint?: string;
} & InputHTMLAttributes<HTMLInputElement>) {
  const described = [hint ? `${id}-hint` : null, error === undefined ? null : `${id}-error`].filter(Boolean);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error !== undefined}
        aria-describedby={described.length > 0 ? described.join(" ") : undefined}
        {...input}
      />
      {hint ? (
        <p className="text-xs text-text-muted" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error === undefined ? null : (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A refusal (`error`) or an outcome (`info`) at the top of a card. */
export function CardNotice({ tone, children }: { tone: "error" | "info"; children: ReactNode }) {
  return (
    <div
      className={tone === "error" ? "notice notice-error" : "notice"}
      role={tone === "error" ? "alert" : "status"}
    >
      <p>{children}</p>
    </div>
  );
}

/** Links under a card's form ("Sign in", "Forgot your password?"). */
export function CardLinks({ children }: { children: ReactNode }) {
  return <p className="flex flex-wrap justify-between gap-2 text-sm text-text-muted">{children}</p>;
}

/**
 * The secret of a link from an e-mail (`#token=…`), read in the browser (the fragment never
 * reaches a server) and taken out of the address bar, so that it stays out of the history.
 */
export function takeTokenFromFragment(): string | null {
  const token = /^#token=([A-Za-z0-9_-]{1,100})$/.exec(window.location.hash)?.[1] ?? null;
  if (token) window.history.replaceState(null, "", window.location.pathname);
  return token;
}
