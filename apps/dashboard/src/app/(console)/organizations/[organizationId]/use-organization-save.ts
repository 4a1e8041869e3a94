"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { useTRPC } from "../../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../../trpc/use-save-outcome.ts";

/**
 * Saving one settings form of an organization's page: its outcome, and the mutation callbacks
 * that show it and then reload everything shown about organizations.
 */
export function useOrganizationSave<T extends FieldValues>(
  form: UseFormReturn<T>,
  fields: readonly Path<T>[],
) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const outcome = useSaveOutcome(form, fields);
  const callbacks = outcome.callbacks(() =>
    queryClient.invalidateQueries({ queryKey: trpc.organizations.pathKey() }),
  );
  return { outcome, callbacks };
}
