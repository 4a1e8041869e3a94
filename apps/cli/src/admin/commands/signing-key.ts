import {
  cliActor,
  listSigningKeys,
  loadSigningKeySecret,
  rotateSigningKey,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
} from "@dsc/core";
import type { CliEnv } from "../../env.ts";
import {
  type AdminCommand,
  iso,
  noPositionals,
  optionalDuration,
  optionalString,
  table,
  UsageError,
} from "../command.ts";

/** `signing-key rotate`: needs the secret that encrypts private keys, like the gateway. */
export function signingKeyRotate(env: CliEnv): AdminCommand {
  return {
    name: "signing-key rotate",
    usage: "signing-key rotate [--algorithm EdDSA|ES256] [--retire-in 70m]",
    options: { algorithm: { type: "string" }, "retire-in": { type: "string" } },
    async run(platform, values, positionals, out) {
      noPositionals(positionals);
      const algorithm = optionalString(values, "algorithm") ?? "EdDSA";
      if (!(SIGNING_ALGORITHMS as readonly string[]).includes(algorithm)) {
        throw new UsageError(`--algorithm must be one of ${SIGNING_ALGORITHMS.join(", ")}`);
      }
      const signingSecret = await loadSigningKeySecret({
        configured: env.SIGNING_KEY_SECRET,
        dataDir: env.DATA_DIR,
        isProduction: env.NODE_ENV === "production",
      });
      const { key, replaced } = await rotateSigningKey(
        { ...platform, signingSecret },
        {
          algorithm: algorithm as SigningAlgorithm,
          retireAfterMs: optionalDuration(values, "retire-in"),
          actor: cliActor(),
        },
      );
      out.result(
        [
          `new signing key ${key.kid} (${key.algorithm}) signs access tokens from now on`,
          ...replaced.map((old) => `${old.kid} verifies until ${iso(old.retireAfter)}`),
          "Gateways pick the new key up within 30 seconds.",
        ].join("\n"),
        { key, replaced },
      );
    },
  };
}

export const signingKeyList: AdminCommand = {
  name: "signing-key list",
  usage: "signing-key list",
  options: {},
  async run(platform, _values, positionals, out) {
    noPositionals(positionals);
    const keys = await listSigningKeys(platform);
    out.result(
      table(
        ["KID", "ALGORITHM", "STATE", "SINCE", "RETIRES"],
        keys.map((k) => [k.kid, k.algorithm, k.state, iso(k.notBefore), iso(k.retireAfter)]),
      ),
      keys,
    );
  },
};
