/** Managers' panel: pending memberships to decide, invitations, roles and bans (issue 13). */
export function MembersAdmin(_: { slug: string }) {
  return null;
}
