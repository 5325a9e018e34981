/** A member's name linking to their profile; "a former member", unlinked, once the account was deleted. */
import { useI18n } from "../i18n";
import { Link } from "../router";

export type Named = { username: string; displayName: string; formerMember?: boolean | null };

export function MemberName({ member }: { member: Named }) {
  const { t } = useI18n();
  if (member.formerMember) return <span class="former-member">{t("member.former")}</span>;
  return <Link href={`/members/${member.username}`}>{member.displayName}</Link>;
}
