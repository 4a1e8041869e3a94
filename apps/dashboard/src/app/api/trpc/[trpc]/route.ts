import { appRouter } from "@dsc/trpc";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { isSameOrigin } from "../../../../server/same-origin.ts";
import { trpcContextOf } from "../../../../server/trpc-context.ts";

/**
 * The dashboard's API. The session cookie is SameSite=Lax, which already keeps other sites'
 * forms from posting with it; mutations also must come from this origin.
 */
async function handler(request: Request): Promise<Response> {
  if (request.method === "POST" && !isSameOrigin(request.headers)) {
    return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => trpcContextOf(request.headers),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
