export {
  ACCOUNT_TOKEN_LIFETIME_MS,
  consumeAccountToken,
  findAccountToken,
  hashAccountToken,
  type IssueAccountTokenInput,
  type IssuedAccountToken,
  issueAccountToken,
} from "./account-tokens.ts";
