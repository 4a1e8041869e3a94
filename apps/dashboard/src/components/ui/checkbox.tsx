"use client";

import * as RadixCheckbox from "@radix-ui/react-checkbox";
import { cx } from "./cx.ts";
import { CheckIcon } from "./icons.tsx";

export function Checkbox(props: RadixCheckbox.CheckboxProps) {
  return (
    <RadixCheckbox.Root
      {...props}
      className={cx(
        "inline-flex size-[18px] shrink-0 cursor-pointer items-center justify-center rounded-[5px] border border-input-border bg-surface data-[state=checked]:border-accent data-[state=checked]:bg-accent focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-focus",
        props.className,
      )}
    >
      <RadixCheckbox.Indicator>
        <CheckIcon className="size-3.5 text-on-accent" strokeWidth={2.6} />
      </RadixCheckbox.Indicator>
    </RadixCheckbox.Root>
  );
}
