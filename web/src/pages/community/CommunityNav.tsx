import { useI18n } from "../../i18n";
import type { MessageKey } from "../../i18n/en";
import { Link } from "../../router";

const SECTIONS: { path: string; label: MessageKey }[] = [
  { path: "", label: "community.feed" },
  { path: "/leaderboard", label: "community.leaderboard" },
  { path: "/badges", label: "community.badges" },
  { path: "/events", label: "community.events" },
  { path: "/tasks", label: "community.tasks" },
  { path: "/manage", label: "community.manage" },
];

/** The community's pages; the one shown is marked as the current page. */
export function CommunityNav({ slug, current }: { slug: string; current: string }) {
  const { t } = useI18n();
  return (
    <nav class="tabs" aria-label={t("community.sections")}>
      {SECTIONS.map(({ path, label }) => (
        <Link key={path} href={`/c/${slug}${path}`} aria-current={path === current ? "page" : undefined}>
          {t(label)}
        </Link>
      ))}
    </nav>
  );
}
