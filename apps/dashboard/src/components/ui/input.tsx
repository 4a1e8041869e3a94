import type { InputHTMLAttributes } from "react";
import { cx } from "./cx.ts";

export const inputClasses = cx(
  "block h-10 rounded-md border border-input-border bg-surface px-3 text-sm text-text",
  "placeholder:text-text-muted placeholder:opacity-80",
  "focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-focus focus-visible:border-focus",
  "aria-[invalid=true]:border-danger disabled:cursor-not-allowed disabled:bg-page",
);

export function Input({ className, ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cx(inputClasses, "w-full", className)} {...props} />;
}
