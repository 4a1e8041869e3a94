import { LoadingRows, Skeleton } from "../../components/ui/states.tsx";

/** Shown while a signed-in page loads on the server. */
export default function ConsoleLoading() {
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Skeleton className="h-7 w-56" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <LoadingRows columns={4} label="Loading the page" />
    </div>
  );
}
