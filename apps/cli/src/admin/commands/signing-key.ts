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
  adminCommand,
  iso,
  optionalDuration,
  table,
  text,
  UsageError,
} from "../command.ts";

/** `signing-key rotate`: needs the secret that encrypts private keys, like the gateway. */
export function signingKeyRotate(env: CliEnv): AdminCommand {
  return adminCommand({
    name: "signing-key rotate",
    usage: "signing-key rotate [--algorithm EdDSA|ES256] [--retire-in 70m]",
    options: { algorithm: text, "retire-in": text },
    async run(platform, { values }, out) {
      const algorithm = values.algorithm ?? "EdDSA";
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
          retireAfterMs: optionalDuration(values["retire-in"], "retire-in"),
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
  });
}

export const signingKeyList = adminCommand({
  name: "signing-key list",
  usage: "signing-key list",
  async run(platform, _input, out) {
    const keys = await listSigningKeys(platform);
    out.result(
      table(
        ["KID", "ALGORITHM", "STATE", "SINCE", "RETIRES"],
        keys.map((k) => [k.kid, k.algorithm, k.state, iso(k.notBefore), iso(k.retireAfter)]),
      ),
      keys,
    );
  },
});
