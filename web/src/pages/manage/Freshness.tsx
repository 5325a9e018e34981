/** Publication against the daily goal, the streak, the stale alert, and the period's trending tags. */
import { graphql } from "../../gql";
import type { FreshnessFiguresFragment, Period, TrendingTagFragment } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { percent } from "./format";

graphql(`
  fragment FreshnessFigures on Freshness {
    postsToday
    dailyGoal
    streakDays
    lastPostAt
    stale
  }
`);

graphql(`
  fragment TrendingTag on TagTrend {
    tag
    count
    previousCount
    growth
  }
`);

type Props = { period: Period; freshness: FreshnessFiguresFragment; trending: TrendingTagFragment[] };

export function FreshnessPanel({ period, freshness, trending }: Props) {
  const { t, plural, date, locale } = useI18n();
  const { postsToday, dailyGoal, streakDays, lastPostAt, stale } = freshness;
  return (
    <section aria-labelledby="freshness" class="card">
      <h2 id="freshness">{t("manage.freshness")}</h2>
      {stale ? (
        <p class="alert" data-testid="stale">
          {t("manage.stale")}
        </p>
      ) : (
        <p class="good">{t("manage.fresh")}</p>
      )}
      <p>
        <strong>{t("manage.goalProgress", { posts: postsToday, goal: dailyGoal })}</strong>
        <span class="rate-bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, Math.round((100 * postsToday) / Math.max(1, dailyGoal)))}%` }} />
        </span>
      </p>
      <p>{plural("manage.streak", streakDays)}</p>
      <p class="muted">{lastPostAt ? t("manage.lastPost", { date: date(lastPostAt) }) : t("manage.noPost")}</p>
      <h3>{t("manage.trending")}</h3>
      {trending.length === 0 && <p>{t("manage.noTrending")}</p>}
      <ol class="trending">
        {trending.map(({ tag, count, previousCount, growth }) => (
          <li key={tag}>
            <strong>#{tag}</strong> <span>{plural("manage.tagUses", count)}</span>{" "}
            {/* ALL has no period before it to grow from. */}
            {period !== "ALL" && (
              <span class="muted">
                {previousCount === 0
                  ? t("manage.newTag")
                  : t("manage.growth", { growth: percent(locale, growth, true) })}
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
