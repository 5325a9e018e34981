/** Publication against the daily goal (which managers set here), the streak, the stale alert, and trending tags. */
import { useState } from "preact/hooks";

import { request } from "../../api/client";
import { graphql } from "../../gql";
import type { FreshnessFiguresFragment, Period, TrendingTagFragment } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { percent } from "./format";
import { useSending } from "./sending";

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

const SET_GOAL = graphql(`
  mutation SetDailyGoal($slug: String!, $goal: Int!) {
    setDailyGoal(communitySlug: $slug, goal: $goal) {
      id
    }
  }
`);

function GoalForm({ slug, goal, onSet }: { slug: string; goal: number; onSet: () => void }) {
  const { t } = useI18n();
  const [wanted, setWanted] = useState(String(goal));
  const { sending, problem, send } = useSending();
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    void send(async () => {
      await request(SET_GOAL, { slug, goal: Number(wanted) });
      onSet();
    });
  };
  return (
    <form onSubmit={save} class="inline-form">
      <div class="field">
        <label for="daily-goal">{t("manage.dailyGoal")}</label>
        <input
          id="daily-goal"
          type="number"
          min={1}
          max={100}
          required
          value={wanted}
          onInput={(event) => setWanted(event.currentTarget.value)}
          aria-invalid={!!problem}
          aria-describedby={problem ? "daily-goal-problem" : undefined}
        />
      </div>
      <button type="submit" disabled={sending}>
        {t("manage.setGoal")}
      </button>
      {problem && (
        <p id="daily-goal-problem" class="problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

type Props = {
  slug: string;
  period: Period;
  freshness: FreshnessFiguresFragment;
  trending: TrendingTagFragment[];
  onGoalSet: () => void;
};

export function FreshnessPanel({ slug, period, freshness, trending, onGoalSet }: Props) {
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
      <GoalForm slug={slug} goal={dailyGoal} onSet={onGoalSet} />
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
