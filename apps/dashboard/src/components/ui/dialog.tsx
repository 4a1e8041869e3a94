"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { type ReactNode, useState } from "react";
import { cx } from "./cx.ts";
import { XIcon } from "./icons.tsx";

export const Dialog = RadixDialog.Root;
export const DialogTrigger = RadixDialog.Trigger;
export const DialogClose = RadixDialog.Close;

/** A modal with a title, an optional description, and a close button; focus is trapped inside. */
export function DialogContent({
  title,
  description,
  children,
  wide = false,
}: {
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <RadixDialog.Portal>
      <RadixDialog.Overlay className="fixed inset-0 z-40 bg-overlay" />
      <RadixDialog.Content
        className={cx(
          "fixed top-1/2 left-1/2 z-50 max-h-[88dvh] w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto",
          "rounded-lg border border-border bg-surface p-6 shadow-[var(--shadow-popover)] focus:outline-none",
          wide ? "max-w-2xl" : "max-w-lg",
        )}
        {...(description ? {} : { "aria-describedby": undefined })}
      >
        <div className="mb-5 flex items-start justify-between gap-4">
          <div className="flex flex-col gap-1">
            <RadixDialog.Title className="text-lg font-semibold text-text">{title}</RadixDialog.Title>
            {description ? (
              <RadixDialog.Description className="text-sm text-text-muted">
                {description}
              </RadixDialog.Description>
            ) : null}
          </div>
          <RadixDialog.Close
            className="-mt-1 -mr-2 rounded-md p-1.5 text-text-muted hover:bg-surface-muted hover:text-text cursor-pointer"
            aria-label="Close"
          >
            <XIcon className="size-5" />
          </RadixDialog.Close>
        </div>
        {children}
      </RadixDialog.Content>
    </RadixDialog.Portal>
  );
}

export function DialogFooter({ children }: { children: ReactNode }) {
  return <div className="mt-6 flex flex-wrap items-center justify-end gap-2">{children}</div>;
}

/**
 * A dialog opened by its trigger button. Its body mounts only while it is open, so that every
 * opening starts from a fresh form; `close` is for the body to call once it is done.
 */
export function TriggeredDialog({
  trigger,
  children,
  ...content
}: {
  trigger: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  wide?: boolean;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent {...content}>{open ? children(() => setOpen(false)) : null}</DialogContent>
    </Dialog>
  );
}
