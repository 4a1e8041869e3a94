import "next-auth/jwt";

declare module "next-auth/jwt" {
  interface JWT {
    /** the person's credential version when they signed in (see core's credentialVersion) */
    cv?: string;
  }
}
