"use client";

import type { CreateCredentialInput } from "@dsc/trpc/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CredentialFilters, CredentialKind } from "../../../components/credentials/credential-kind.ts";
import { CredentialsView } from "../../../components/credentials/credentials-view.tsx";
import { useTRPC, useTRPCClient } from "../../../trpc/client.tsx";

const PAGE_SIZE = 20;

function useApiKeyList(filters: CredentialFilters) {
  const trpc = useTRPC();
  return useQuery(trpc.apiKeys.list.queryOptions({ ...filters, limit: PAGE_SIZE }));
}

/** Mutations that refresh the list when they succeed. */
function useKeyMutation<Input, Output>(
  call: (client: ReturnType<typeof useTRPCClient>, input: Input) => Promise<Output>,
) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Input) => call(client, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.pathKey() }),
  });
}

const useApiKeyCreate = () =>
  useKeyMutation(async (client, values: CreateCredentialInput) => {
    const created = await client.apiKeys.create.mutate(values);
    return { id: created.key.id, secret: created.secret };
  });

const useApiKeyRotate = () =>
  useKeyMutation(async (client, { id, gracePeriod }: { id: string; gracePeriod: "none" | "1h" | "24h" }) => {
    const rotated = await client.apiKeys.rotate.mutate({ apiKeyId: id, gracePeriod });
    return { secret: rotated.secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt };
  });

const useApiKeyRevoke = () =>
  useKeyMutation((client, { id }: { id: string }) => client.apiKeys.revoke.mutate({ apiKeyId: id }));

export function ApiKeysView(props: {
  role: "ADMIN" | "COMPLIANCE" | "DEVELOPER";
  ownOrganizationId: string | null;
  initialOrganizationId: string | undefined;
  initialState: "active" | "expired" | "revoked" | undefined;
  gatewayUrl: string;
}) {
  const { gatewayUrl, ...rest } = props;
  const kind: CredentialKind = {
    noun: "API key",
    nounPlural: "API keys",
    secretName: "secret key",
    description:
      "Secret keys that call the API as an organization. Revoking one stops it on every gateway within a second.",
    emptyDescription: "Create a key, then call the API with it in the Authorization header.",
    usage: (secret) => `curl ${gatewayUrl}/v1/models \\\n  -H "Authorization: Bearer ${secret}"`,
    useList: useApiKeyList,
    useCreate: useApiKeyCreate,
    useRotate: useApiKeyRotate,
    useRevoke: useApiKeyRevoke,
  };
  return <CredentialsView kind={kind} {...rest} />;
}
