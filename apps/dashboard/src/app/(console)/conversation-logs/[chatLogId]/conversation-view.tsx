"use client";

import type { AppRouter } from "@dsc/trpc";
import type { inferRouterOutputs } from "@trpc/server";
import { formatNumber } from "../../../../components/format.ts";
import { Badge } from "../../../../components/ui/badge.tsx";
import { Section } from "../../../../components/ui/page-header.tsx";

type Opened = Extract<inferRouterOutputs<AppRouter>["conversationLogs"]["open"], { status: "open" }>;
type Conversation = Opened["conversation"];
type DisplayMessage = Conversation["messages"][number];
type DisplayText = NonNullable<DisplayMessage["name"]>;

const ROLE_LABELS: Record<string, string> = {
  system: "System",
  developer: "Developer",
  user: "User",
  assistant: "Assistant",
  tool: "Tool",
  function: "Function",
};

/** A decrypted log as a conversation: each message with its role, texts and tool calls, then the answer. */
export function ConversationView({ conversation }: { conversation: Conversation }) {
  const { response } = conversation;
  return (
    <>
      <Section
        title="Messages"
        description={
          conversation.isMasked
            ? "E-mail addresses, phone numbers, card numbers, IBANs, IP addresses and secrets are masked."
            : "As stored: personal data is shown. This reading is recorded in the audit log."
        }
        actions={
          conversation.isMasked ? (
            <Badge tone="success">Masked</Badge>
          ) : (
            <Badge tone="warning">Unmasked</Badge>
          )
        }
      >
        {conversation.isTruncated ? (
          <p className="mb-4 text-sm text-text-muted" role="note">
            This log is long: each text shows at most its first 20,000 characters, and the page at most
            200,000.
          </p>
        ) : null}
        <ol className="flex flex-col gap-3" aria-label="Messages">
          {conversation.messages.map((message, index) => (
            // messages have no id of their own; their order is fixed
            <MessageCard key={index} message={message} />
          ))}
        </ol>
      </Section>
      <Section title="Answer">
        {response.type === "none" ? (
          <p className="text-sm text-text-muted">The log holds no answer.</p>
        ) : response.type === "stream" ? (
          <div className="rounded-md border border-border bg-surface-muted p-3" data-testid="log-answer">
            <Text text={response.text} />
          </div>
        ) : (
          <ol className="flex flex-col gap-3" aria-label="Choices" data-testid="log-answer">
            {response.choices.map((choice) => (
              <li key={choice.index} className="flex flex-col gap-1">
                {response.choices.length > 1 || choice.finishReason ? (
                  <span className="text-xs text-text-muted">
                    Choice {choice.index + 1}
                    {choice.finishReason ? `, finished: ${choice.finishReason}` : ""}
                  </span>
                ) : null}
                <MessageCard message={choice.message} />
              </li>
            ))}
          </ol>
        )}
      </Section>
    </>
  );
}

function MessageCard({ message }: { message: DisplayMessage }) {
  return (
    <li className="list-none rounded-md border border-border bg-surface-muted p-3" data-testid="log-message">
      <div className="mb-2 flex flex-wrap items-center gap-2 text-xs font-semibold text-text">
        <span>{ROLE_LABELS[message.role] ?? message.role}</span>
        {message.name ? <span className="font-normal text-text-muted">{message.name.text}</span> : null}
        {message.toolCallId ? (
          <span className="font-normal text-text-muted">answers {message.toolCallId}</span>
        ) : null}
      </div>
      <div className="flex flex-col gap-2">
        {message.parts.map((part, index) =>
          part.type === "text" ? (
            <Text key={index} text={part.text} />
          ) : (
            <span key={index} className="text-xs text-text-muted italic">
              A {part.kind.replaceAll("_", " ")} part, not shown.
            </span>
          ),
        )}
        {message.refusal ? (
          <div>
            <span className="text-xs text-text-muted">Refusal: </span>
            <Text text={message.refusal} />
          </div>
        ) : null}
        {message.toolCalls.map((call, index) => (
          <div key={index} className="rounded border border-border bg-surface p-2">
            <div className="text-xs text-text-muted">
              Tool call{call.id ? ` ${call.id}` : ""}:{" "}
              <span className="font-mono text-text">{call.name.text}</span>
            </div>
            <pre className="mt-1 overflow-x-auto font-mono text-xs whitespace-pre-wrap break-all">
              {call.arguments.text}
            </pre>
            {call.arguments.isTruncated ? <TruncatedNote text={call.arguments} /> : null}
          </div>
        ))}
      </div>
    </li>
  );
}

function Text({ text }: { text: DisplayText }) {
  return (
    <>
      <p className="text-sm whitespace-pre-wrap break-words text-text">{text.text}</p>
      {text.isTruncated ? <TruncatedNote text={text} /> : null}
    </>
  );
}

function TruncatedNote({ text }: { text: DisplayText }) {
  return (
    <p className="text-xs text-text-muted italic">
      {text.text.length === 0
        ? `Not shown: ${formatNumber(text.length)} characters, past what this page shows of a log.`
        : `Truncated: the first ${formatNumber(text.text.length)} of ${formatNumber(text.length)} characters.`}
    </p>
  );
}
