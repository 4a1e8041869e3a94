import { Skeleton } from "../ui/states.tsx";

/** The shape of the usage page while its figures and charts load. */
export function UsageSkeleton() {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-4">
      <span className="sr-only">Loading the usage…</span>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        {Array.from({ length: 6 }, (_, index) => (
          <div
            key={index}
            className="flex flex-col gap-2 rounded-lg border border-border bg-surface px-4 py-3"
          >
            <Skeleton className="h-3 w-20" />
            <Skeleton className="h-5 w-16" />
          </div>
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        {Array.from({ length: 4 }, (_, index) => (
          <div key={index} className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4">
            <Skeleton className="h-3.5 w-32" />
            <Skeleton className="h-[260px] w-full" />
          </div>
        ))}
      </div>
    </div>
  );
}
