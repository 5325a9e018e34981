import type { MembershipStatus, Role } from "./gql/graphql";

/** Who runs a community: announces events, checks others in, runs tasks, sees the dashboard (as the API's MANAGING_ROLES). */
const MANAGING_ROLES = new Set<Role>(["OWNER", "MANAGER"]);

export function isManaging(membership: { role: Role; status: MembershipStatus } | null | undefined): boolean {
  return membership?.status === "ACTIVE" && MANAGING_ROLES.has(membership.role);
}
