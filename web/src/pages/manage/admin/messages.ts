/** The managers' administration panels' messages (members, invitations, roles, bans, points, badges). */
export const en = {} as const;

export const fr: Record<keyof typeof en, string> = {};
