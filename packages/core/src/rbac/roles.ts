/** Who a dashboard person is; every dashboard procedure declares the roles it allows. */
export const ROLES = ["ADMIN", "COMPLIANCE", "DEVELOPER"] as const;
export type Role = (typeof ROLES)[number];
