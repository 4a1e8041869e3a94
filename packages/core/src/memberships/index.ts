export { listMyOrganizations, type MyOrganization } from "./list-my-organizations.ts";
export { placeMember } from "./place-member.ts";
export { switchOrganization } from "./switch-organization.ts";
