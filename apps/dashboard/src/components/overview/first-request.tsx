import Link from "next/link";

/**
 * A new platform's traffic card: no request yet today or yesterday, so it says how to make
 * the first one (a key, then one call) instead of showing empty charts.
 */
export function FirstRequest({ isAdmin, gatewayUrl }: { isAdmin: boolean; gatewayUrl: string }) {
  const example = [
    `curl ${gatewayUrl}/v1/chat/completions \\`,
    `  -H "Authorization: Bearer $API_KEY" -H "Content-Type: application/json" \\`,
    `  -d '{"model": "deepseek-chst-1.0", "messages": [{"role": "user", "content": "Hello"}]}'`,
  ].join("\n");
  return (
    <div className="flex flex-col gap-3 rounded-lg border border-dashed border-input-border px-5 py-6">
      <p className="font-semibold text-text">No requests yet</p>
      <p className="text-sm text-text-muted">
        {isAdmin
          ? "No organization has called the API today or yesterday. Give an organization an API key (the demo organization has one from the first start), then make a request:"
          : "Your organization has not called the API today or yesterday. Create a key on the API keys page, then make a request:"}
      </p>
      <pre className="overflow-x-auto rounded-md bg-code-bg px-3 py-2.5 font-mono text-xs leading-relaxed text-text">
        {example}
      </pre>
      <p className="text-sm text-text-muted">
        The request shows here within seconds. <Link href="/api-keys">Go to API keys</Link>
      </p>
    </div>
  );
}
