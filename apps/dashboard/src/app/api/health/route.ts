// Polled by the supervisor to know the dashboard is up, so it must answer per request,
// never from a response prerendered at build time.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
