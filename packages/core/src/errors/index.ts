export { DomainError, type DomainErrorCode, isDomainError } from "./domain-error.ts";
