"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { CardNotice, takeTokenFromFragment } from "../../components/card-form.tsx";
import { useTRPC } from "../../trpc/client.tsx";
import { errorMessage } from "../../trpc/errors.ts";

const NEXT_PAGE = "/getting-started";

export function VerifyEmailView({ isSignedIn }: { isSignedIn: boolean }) {
  const trpc = useTRPC();
  const verify = useMutation(trpc.signup.verifyEmail.mutationOptions());
  const [hasNoToken, setHasNoToken] = useState(false);
  // the link works once: a second effect run (React's strict mode) must not spend it again
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = takeTokenFromFragment();
    if (token) verify.mutate({ token });
    else setHasNoToken(true);
  }, [verify.mutate]);

  const next = isSignedIn ? NEXT_PAGE : `/login?callbackUrl=${encodeURIComponent(NEXT_PAGE)}`;
  if (hasNoToken) {
    return <p className="lead">Open this page with the link from the verification e-mail.</p>;
  }
  if (verify.isError) return <CardNotice tone="error">{errorMessage(verify.error)}</CardNotice>;
  if (!verify.isSuccess) return <p className="lead">Verifying your address…</p>;
  return (
    <>
      <CardNotice tone="info">{`${verify.data.email} is verified. You can create API keys now.`}</CardNotice>
      <Link className="button button-block" href={next}>
        {isSignedIn ? "Get started" : "Sign in to get started"}
      </Link>
    </>
  );
}
