"use client";

import { ErrorState } from "../../components/ui/states.tsx";

/** A signed-in page that failed on the server: say so, offer to try again. No internals. */
export default function ConsoleError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="pt-10">
      <ErrorState
        title="This page could not be shown"
        message="The dashboard's server ran into a problem. Try again; if it keeps happening, check its logs."
        onRetry={reset}
      />
    </div>
  );
}
