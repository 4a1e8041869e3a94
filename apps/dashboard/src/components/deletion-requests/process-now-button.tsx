"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../trpc/client.tsx";
import { errorMessage } from "../../trpc/errors.ts";
import { Button } from "../ui/button.tsx";

/**
 * Makes the request due at once; shown only where the request's view says `canProcessNow`
 * (the mutation's own rule, worked out on the server). The worker, which runs every minute, takes it on its next
 * run: the dashboard does not erase anything itself, and says so.
 */
export function ProcessNowButton({ id, label }: { id: string; label: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ text: string; isError: boolean } | null>(null);
  const mutation = useMutation(
    trpc.deletionRequests.processNow.mutationOptions({
      onSuccess: async () => {
        setMessage({ text: "Queued for the worker's next run, within a minute.", isError: false });
        await queryClient.invalidateQueries({ queryKey: trpc.deletionRequests.pathKey() });
      },
      onError: (error) => setMessage({ text: errorMessage(error), isError: true }),
    }),
  );
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="secondary"
        size="sm"
        isPending={mutation.isPending}
        aria-label={`Process now: ${label}`}
        onClick={() => {
          setMessage(null);
          mutation.mutate({ id });
        }}
      >
        Process now
      </Button>
      <p
        aria-live="polite"
        className={message?.isError ? "max-w-56 text-xs text-danger" : "max-w-56 text-xs text-success"}
      >
        {message?.text ?? ""}
      </p>
    </div>
  );
}
