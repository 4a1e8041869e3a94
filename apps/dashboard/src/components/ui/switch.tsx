"use client";

import * as RadixSwitch from "@radix-ui/react-switch";
import { cx } from "./cx.ts";

export function Switch(props: RadixSwitch.SwitchProps) {
  return (
    <RadixSwitch.Root
      {...props}
      className={cx(
        "relative inline-flex h-6 w-11 shrink-0 cursor-pointer items-center rounded-full border border-transparent bg-input-border transition-colors data-[state=checked]:bg-accent disabled:cursor-not-allowed disabled:opacity-55 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-focus",
        props.className,
      )}
    >
      <RadixSwitch.Thumb className="block size-5 translate-x-0.5 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-[1.3rem]" />
    </RadixSwitch.Root>
  );
}
