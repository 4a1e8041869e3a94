"use client";

import { CreateOrganizationInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import type { z } from "zod";
import { Button } from "../../../components/ui/button.tsx";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogFooter,
  DialogTrigger,
} from "../../../components/ui/dialog.tsx";
import { Field, FormError } from "../../../components/ui/field.tsx";
import { PlusIcon } from "../../../components/ui/icons.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { Select } from "../../../components/ui/select.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { applyServerError } from "../../../trpc/errors.ts";

type Values = z.input<typeof CreateOrganizationInputSchema>;

export function CreateOrganizationDialog() {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon className="size-4" /> New organization
        </Button>
      </DialogTrigger>
      <DialogContent
        title="New organization"
        description="An API customer. You can change its tier and settings later."
      >
        {open ? <CreateOrganizationForm onDone={() => setOpen(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function CreateOrganizationForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const tiers = useQuery(trpc.tiers.list.queryOptions());
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(CreateOrganizationInputSchema),
    defaultValues: { name: "", tier: "free" },
  });
  const create = useMutation(
    trpc.organizations.create.mutationOptions({
      onSuccess: async (org) => {
        await queryClient.invalidateQueries({ queryKey: trpc.organizations.list.queryKey() });
        onDone();
        router.push(`/organizations/${org.id}`);
      },
      onError: (error) => setFormError(applyServerError(error, form.setError, ["name", "tier"])),
    }),
  );
  const { errors } = form.formState;

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit((values) => {
        setFormError(null);
        create.mutate(values);
      })}
    >
      <FormError message={formError} />
      <Field label="Name" error={errors.name?.message}>
        {(control) => <Input {...control} autoFocus placeholder="Acme Inc." {...form.register("name")} />}
      </Field>
      <Field
        label="Tier"
        error={errors.tier?.message}
        hint="Sets requests and tokens per minute, monthly tokens and retention."
      >
        {(control) => (
          <Controller
            control={form.control}
            name="tier"
            render={({ field }) => (
              <Select
                {...control}
                value={field.value}
                onValueChange={field.onChange}
                placeholder={tiers.isPending ? "Loading tiers…" : "Choose a tier"}
                options={(tiers.data ?? []).map((tier) => ({
                  value: tier.slug,
                  label: tier.name,
                  detail: `${tier.requestsPerMinute} req/min`,
                }))}
              />
            )}
          />
        )}
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">Cancel</Button>
        </DialogClose>
        <Button type="submit" isPending={create.isPending}>
          Create organization
        </Button>
      </DialogFooter>
    </form>
  );
}
