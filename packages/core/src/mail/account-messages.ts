import { MEMBER_ROLE_LABELS, type MemberRole, PRODUCT_NAME } from "@dsc/vocabulary";
import type { MailMessage } from "./mailer.ts";

interface LinkMail {
  to: string;
  /** the page that takes the link's secret; http(s) only */
  link: string;
  validForHours: number;
}

export type EmailVerificationMail = LinkMail;
export type PasswordResetMail = LinkMail;

export interface InvitationMail extends LinkMail {
  organizationName: string;
  /** the inviting person's name, or their e-mail address when they have none */
  inviterName: string;
  role: MemberRole;
}

export function emailVerificationMessage(mail: EmailVerificationMail): MailMessage {
  const lifetime = lifetimeText(mail.validForHours);
  return composeMessage(mail, {
    subject: `Confirm your e-mail address for ${PRODUCT_NAME}`,
    paragraphs: [`Please confirm the e-mail address of your ${PRODUCT_NAME} account.`],
    action: "Confirm my address",
    after: [
      `The link works once and expires in ${lifetime}. You can create API keys once your address is confirmed.`,
      "If you did not sign up, ignore this e-mail.",
    ],
  });
}

export function passwordResetMessage(mail: PasswordResetMail): MailMessage {
  const lifetime = lifetimeText(mail.validForHours);
  return composeMessage(mail, {
    subject: `Reset your ${PRODUCT_NAME} password`,
    paragraphs: [`Someone asked to reset the password of your ${PRODUCT_NAME} account.`],
    action: "Choose a new password",
    after: [
      `The link works once and expires in ${lifetime}. Setting a new password signs you out everywhere.`,
      "If you did not ask for this, ignore this e-mail: your password stays as it is.",
    ],
  });
}

export function invitationMessage(mail: InvitationMail): MailMessage {
  const organization = oneLine(mail.organizationName);
  const inviter = oneLine(mail.inviterName);
  const role = MEMBER_ROLE_LABELS[mail.role];
  const lifetime = lifetimeText(mail.validForHours);
  return composeMessage(mail, {
    subject: `${inviter} invited you to ${organization} on ${PRODUCT_NAME}`,
    paragraphs: [
      `${inviter} invited you to join the organization ${organization} on ${PRODUCT_NAME}, as ${role}.`,
    ],
    action: "Accept the invitation",
    after: [
      `The invitation expires in ${lifetime}.`,
      "If you do not know this person or the organization, ignore this e-mail.",
    ],
  });
}

interface MessageParts {
  subject: string;
  paragraphs: string[];
  action: string;
  after: string[];
}

function composeMessage(mail: LinkMail, parts: MessageParts): MailMessage {
  const link = checkedLink(mail.link);
  const text = [
    "Hello,",
    ...parts.paragraphs,
    `${parts.action}: ${link}`,
    ...parts.after,
    `— ${PRODUCT_NAME}`,
  ].join("\n\n");
  const paragraph = (value: string) => `<p>${escapeHtml(value)}</p>`;
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">',
    paragraph("Hello,"),
    ...parts.paragraphs.map(paragraph),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(parts.action)}</a></p>`,
    `<p>Or open this address: ${escapeHtml(link)}</p>`,
    ...parts.after.map(paragraph),
    paragraph(`— ${PRODUCT_NAME}`),
    "</body></html>",
  ].join("\n");
  return { to: mail.to, subject: oneLine(parts.subject), text, html };
}

/**
 * Names go into the subject, a header: a line break there would start a header of the
 * sender's choosing; in the body it would let a name pass for a paragraph of ours.
 */
function oneLine(value: string): string {
  return value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
    .replace(/ {2,}/g, " ")
    .trim();
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

function checkedLink(link: string): string {
  // the link is ours (base URL and token), so anything else is a mistake, not input to refuse
  if (!/^https?:\/\/[^\s]+$/.test(link)) throw new Error("an account e-mail's link must be an http(s) URL");
  return link;
}

function lifetimeText(hours: number): string {
  if (hours >= 48 && hours % 24 === 0) return `${hours / 24} days`;
  return hours === 1 ? "1 hour" : `${hours} hours`;
}
