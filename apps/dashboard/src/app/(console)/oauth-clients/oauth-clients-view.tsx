"use client";

import type { CreateCredentialInput } from "@dsc/trpc/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CredentialFilters, CredentialKind } from "../../../components/credentials/credential-kind.ts";
import { CredentialsView } from "../../../components/credentials/credentials-view.tsx";
import { useTRPC, useTRPCClient } from "../../../trpc/client.tsx";

const PAGE_SIZE = 20;

function useOAuthClientList(filters: CredentialFilters) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.oauthClients.list.queryOptions({ ...filters, limit: PAGE_SIZE }),
    select: (page) => ({
      nextCursor: page.nextCursor,
      items: page.items.map(({ secretPrefix, ...client }) => ({ ...client, prefix: secretPrefix })),
    }),
  });
}

/** Mutations that refresh the list when they succeed. */
function useClientMutation<Input, Output>(
  call: (client: ReturnType<typeof useTRPCClient>, input: Input) => Promise<Output>,
) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Input) => call(client, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.oauthClients.pathKey() }),
  });
}

const useOAuthClientCreate = () =>
  useClientMutation(async (client, values: CreateCredentialInput) => {
    const created = await client.oauthClients.create.mutate(values);
    return { id: created.client.id, secret: created.secret };
  });

const useOAuthClientRotate = () =>
  useClientMutation(
    async (client, { id, gracePeriod }: { id: string; gracePeriod: "none" | "1h" | "24h" }) => {
      const rotated = await client.oauthClients.rotateSecret.mutate({ clientId: id, gracePeriod });
      return { secret: rotated.secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt };
    },
  );

const useOAuthClientRevoke = () =>
  useClientMutation((client, { id }: { id: string }) => client.oauthClients.revoke.mutate({ clientId: id }));

export function OAuthClientsView(props: {
  role: "ADMIN" | "COMPLIANCE" | "DEVELOPER";
  ownOrganizationId: string | null;
  initialOrganizationId: string | undefined;
  initialState: "active" | "expired" | "revoked" | undefined;
  gatewayUrl: string;
}) {
  const { gatewayUrl, ...rest } = props;
  const kind: CredentialKind = {
    noun: "OAuth client",
    nounPlural: "OAuth clients",
    secretName: "client secret",
    description:
      "Applications that exchange a client id and secret for short-lived access tokens (OAuth 2.0 client credentials). Revoking one also ends its tokens.",
    emptyDescription: "Create a client, then request tokens from the gateway's token endpoint.",
    usage: (secret, id) =>
      `curl ${gatewayUrl}/oauth2/token \\\n  -d grant_type=client_credentials \\\n  -d client_id=${id} \\\n  -d client_secret=${secret}`,
    useList: useOAuthClientList,
    useCreate: useOAuthClientCreate,
    useRotate: useOAuthClientRotate,
    useRevoke: useOAuthClientRevoke,
  };
  return <CredentialsView kind={kind} {...rest} />;
}
