import type { Role } from "../../gql/graphql";

/** Who may announce events, check others in and run tasks (the API's MANAGING_ROLES). */
export const MANAGING_ROLES = new Set<Role>(["OWNER", "MANAGER"]);
