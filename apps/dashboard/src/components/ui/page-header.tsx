import type { ReactNode } from "react";
import { TitleBlock } from "./title-block.tsx";

/** What a page's header and a section's heading say, and the buttons beside it. */
interface HeadingProps {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
}

export function PageHeader({ title, description, actions, eyebrow }: HeadingProps & { eyebrow?: ReactNode }) {
  return (
    <header className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <TitleBlock
        className="min-w-0"
        title={
          <>
            {eyebrow ? <div className="text-sm text-text-muted">{eyebrow}</div> : null}
            <h1 className="text-2xl font-semibold tracking-tight text-text">{title}</h1>
          </>
        }
        description={description}
        descriptionClassName="max-w-2xl text-sm text-text-muted"
      />
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </header>
  );
}

/** A titled card section of a page. */
export function Section({ title, description, actions, children }: HeadingProps & { children: ReactNode }) {
  return (
    <section className="rounded-lg border border-border bg-surface p-5 shadow-sm">
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <TitleBlock
          title={<h2 className="text-base font-semibold text-text">{title}</h2>}
          description={description}
        />
        {actions}
      </div>
      {children}
    </section>
  );
}
