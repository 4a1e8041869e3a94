export { listMyOrganizations, type MyOrganization } from "./list-my-organizations.ts";
export { switchOrganization } from "./switch-organization.ts";
