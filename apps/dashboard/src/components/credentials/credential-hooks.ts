import type { CreateCredentialInput, GraceChoice } from "@dsc/trpc/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, useTRPCClient } from "../../trpc/client.tsx";
import type {
  CredentialFilters,
  CredentialKind,
  CredentialKindSpec,
  CredentialRow,
} from "./credential-kind.ts";

const PAGE_SIZE = 20;

type Credential = Record<string, unknown> & { id: string };

/**
 * The calls the pages make, the same for both routers once their names are data. Typed
 * loosely here (the routers' types differ by those names only) and checked by the server's
 * input schemas.
 */
interface CredentialRouter {
  list: { query(input: object): Promise<{ items: Credential[]; nextCursor: string | null }> };
  create: { mutate(input: CreateCredentialInput): Promise<Record<string, Credential> & { secret: string }> };
  rotate: {
    mutate(input: object): Promise<{ secret: string; previousSecretExpiresAt: Date | null }>;
  };
  revoke: { mutate(input: object): Promise<unknown> };
}

/** The kind's words with the gateway's address and its tRPC hooks bound. */
export function bindCredentialKind(spec: CredentialKindSpec, gatewayUrl: string): CredentialKind {
  const { routes, usage, ...words } = spec;

  function useRouter(): CredentialRouter {
    const client = useTRPCClient()[routes.router] as unknown as Record<string, unknown>;
    return {
      list: client.list,
      create: client.create,
      revoke: client.revoke,
      rotate: client[routes.rotate],
    } as CredentialRouter;
  }

  /** Mutations that refresh the list when they succeed. */
  function useCredentialMutation<Input, Output>(
    call: (router: CredentialRouter, input: Input) => Promise<Output>,
  ) {
    const trpc = useTRPC();
    const router = useRouter();
    const queryClient = useQueryClient();
    return useMutation({
      mutationFn: (input: Input) => call(router, input),
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc[routes.router].pathKey() }),
    });
  }

  return {
    ...words,
    usage: (secret, id) => usage(secret, id, gatewayUrl),
    useList(filters: CredentialFilters) {
      const trpc = useTRPC();
      const router = useRouter();
      const input = { ...filters, limit: PAGE_SIZE };
      return useQuery({
        queryKey: [...trpc[routes.router].list.pathKey(), { input, type: "query" }],
        queryFn: () => router.list.query(input),
        select: (page) => ({
          nextCursor: page.nextCursor,
          items: page.items.map(
            (item) => ({ ...item, prefix: item[routes.prefixField] }) as unknown as CredentialRow,
          ),
        }),
      });
    },
    useCreate: () =>
      useCredentialMutation(async (router, values: CreateCredentialInput) => {
        const created = await router.create.mutate(values);
        return { id: (created[routes.resultField] as Credential).id, secret: created.secret };
      }),
    useRotate: () =>
      useCredentialMutation((router, { id, gracePeriod }: { id: string; gracePeriod: GraceChoice }) =>
        router.rotate.mutate({ [routes.idField]: id, gracePeriod }),
      ),
    useRevoke: () =>
      useCredentialMutation((router, { id }: { id: string }) =>
        router.revoke.mutate({ [routes.idField]: id }),
      ),
  };
}
