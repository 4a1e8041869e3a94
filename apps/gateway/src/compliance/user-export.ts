import { type UserExport, unixSeconds } from "@dsc/api-client";
import type { DecryptedChatLog, SubjectExport } from "@dsc/core";

type ChatLogObject = UserExport["chat_logs"][number];

function toChatLogObject(log: DecryptedChatLog): ChatLogObject {
  return {
    id: log.id,
    request_id: log.requestId,
    model: log.modelId,
    created_at: unixSeconds(log.createdAt),
    expires_at: unixSeconds(log.expiresAt),
    usage: { prompt_tokens: log.promptTokens, completion_tokens: log.completionTokens },
    messages: log.messages,
    response: log.response,
  };
}

/**
 * A subject export as the text of one `UserExport` JSON document, produced a page of chat
 * logs at a time, so that a user with many logs is streamed rather than held in memory.
 */
export async function* userExportJson(data: SubjectExport): AsyncGenerator<string> {
  const head: Omit<UserExport, "chat_logs"> = {
    object: "user_export",
    user: data.endUserId,
    exported_at: unixSeconds(data.exportedAt),
    files: data.files.map((file) => ({
      id: file.id,
      filename: file.filename,
      purpose: file.purpose,
      bytes: file.bytes,
      created_at: unixSeconds(file.createdAt),
      expires_at: file.expiresAt ? unixSeconds(file.expiresAt) : null,
    })),
  };
  // the head's closing brace gives way to the chat-log array
  yield `${JSON.stringify(head).slice(0, -1)},"chat_logs":[`;
  let separator = "";
  for await (const page of data.chatLogPages) {
    let text = "";
    for (const log of page) {
      text += separator + JSON.stringify(toChatLogObject(log));
      separator = ",";
    }
    yield text;
  }
  yield "]}";
}
