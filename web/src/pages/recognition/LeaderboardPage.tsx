import { useEffect, useRef, useState } from "preact/hooks";

import { subscribe } from "../../api/live";
import { useQuery } from "../../api/useQuery";
import { MemberName } from "../../components/MemberName";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { LeaderboardRowFragment, LiveLeaderboardSubscription, Period } from "../../gql/graphql";
import { type I18n, useI18n } from "../../i18n";
import { Link } from "../../router";
import { useSession } from "../../session";
import { CommunityNav } from "../community/CommunityNav";
import { liveError } from "./liveError";

const PERIODS: readonly Period[] = ["DAY", "WEEK", "MONTH", "ALL"];
const BOARD_SIZE = 10;

graphql(`
  fragment LeaderboardRow on LeaderboardEntry {
    rank
    points
    level
    member {
      id
      username
      displayName
      formerMember
    }
  }
`);

const STANDING = graphql(`
  query LeaderboardStanding($slug: String!, $period: Period!) {
    community(slug: $slug) {
      id
      viewerRank(period: $period) {
        ...LeaderboardRow
      }
    }
  }
`);

const LIVE_BOARD = graphql(`
  subscription LiveLeaderboard($slug: String!, $period: Period!, $first: Int!) {
    leaderboardChanged(communitySlug: $slug, period: $period, first: $first) {
      changes {
        rank
        previousRank
        member {
          id
          displayName
        }
      }
      entries {
        ...LeaderboardRow
      }
    }
  }
`);

type BoardChange = LiveLeaderboardSubscription["leaderboardChanged"];

/** The period in the address (?period=MONTH), so a board can be linked; this week's otherwise. */
function usePeriod(): Period {
  const read = () => PERIODS.find((period) => period === new URLSearchParams(location.search).get("period")) ?? "WEEK";
  const [period, setPeriod] = useState<Period>(read);
  useEffect(() => {
    const follow = () => setPeriod(read());
    addEventListener("popstate", follow);
    return () => removeEventListener("popstate", follow);
  }, []);
  return period;
}

/** One sentence for screen readers about a move, so a busy board does not read out every row. */
function announcement({ changes }: BoardChange, { t, plural, number }: I18n): string {
  const risers = changes.filter(({ rank, previousRank }) => rank !== null && (previousRank === null || rank < previousRank));
  const [riser] = risers;
  if (risers.length === 1 && riser?.rank) return t("leaderboard.movedUp", { name: riser.member.displayName, rank: number(riser.rank) });
  return changes.length > 0 ? plural("leaderboard.moves", changes.length) : "";
}

/** The board of a period as the server pushes it: at once, then whenever points move it. */
function useLiveBoard(slug: string, period: Period, onMove: () => void) {
  const i18n = useI18n();
  // Read when a message comes: a new language or callback needs no new subscription.
  const current = useRef({ i18n, onMove });
  current.current = { i18n, onMove };
  const [board, setBoard] = useState<LeaderboardRowFragment[]>();
  const [news, setNews] = useState("");
  const [error, setError] = useState<Error>();
  useEffect(() => {
    setBoard(undefined);
    setNews("");
    let opening = true; // the board as it stands, read with the page; later ones (a reconnect's too) may move you
    return subscribe(
      LIVE_BOARD,
      { slug, period, first: BOARD_SIZE },
      ({ leaderboardChanged: change }) => {
        setBoard(change.entries);
        if (!opening) current.current.onMove();
        opening = false;
        if (change.changes.length > 0) setNews(announcement(change, current.current.i18n));
      },
      (caught) => setError(liveError(caught)),
    );
  }, [slug, period]);
  return { board, news, error };
}

function LeaderboardRow({ entry, mine }: { entry: LeaderboardRowFragment; mine: boolean }) {
  const { t, number } = useI18n();
  return (
    <tr class={mine ? "mine" : undefined}>
      <td>{number(entry.rank)}</td>
      <td>
        <MemberName member={entry.member} />
        {mine && ` ${t("leaderboard.you")}`}
      </td>
      <td>{t(`recognition.level.${entry.level}`)}</td>
      <td class="numeric">{number(entry.points)}</td>
    </tr>
  );
}

function PeriodChoice({ slug, period }: { slug: string; period: Period }) {
  const { t } = useI18n();
  return (
    <nav class="segmented" aria-label={t("leaderboard.periods")}>
      {PERIODS.map((choice) => (
        <Link
          key={choice}
          href={`/c/${slug}/leaderboard?period=${choice}`}
          aria-current={choice === period ? "true" : undefined}
        >
          {t(`leaderboard.period.${choice}`)}
        </Link>
      ))}
    </nav>
  );
}

export function LeaderboardPage({ slug }: { slug: string }) {
  const { t, number, plural } = useI18n();
  const { viewer } = useSession();
  const period = usePeriod();
  const standing = useQuery(STANDING, { slug, period });
  const { board, news, error } = useLiveBoard(slug, period, () => void standing.refetch());

  if (standing.data && !standing.data.community) return <p role="alert">{t("community.notFound")}</p>;
  const own = standing.data?.community?.viewerRank;
  return (
    <>
      <CommunityNav slug={slug} current="/leaderboard" />
      <h1>{t("leaderboard.title")}</h1>
      <PeriodChoice slug={slug} period={period} />
      <Status loading={!board} error={error ?? standing.error}>
        {board?.length === 0 && <p>{t("leaderboard.empty")}</p>}
        {board && board.length > 0 && (
          <table class="leaderboard">
            <caption>{t("leaderboard.caption", { period: t(`leaderboard.period.${period}`) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("leaderboard.rank")}</th>
                <th scope="col">{t("leaderboard.member")}</th>
                <th scope="col">{t("leaderboard.level")}</th>
                <th scope="col" class="numeric">
                  {t("leaderboard.points")}
                </th>
              </tr>
            </thead>
            <tbody>
              {board.map((entry) => (
                <LeaderboardRow key={entry.member.id} entry={entry} mine={entry.member.id === viewer?.id} />
              ))}
            </tbody>
          </table>
        )}
        {viewer && standing.data && (
          <p class="own-rank">
            {own
              ? t("leaderboard.yourRank", { rank: number(own.rank), points: plural("leaderboard.pointCount", own.points) })
              : t("leaderboard.noRank")}
          </p>
        )}
      </Status>
      <p class="visually-hidden" aria-live="polite">
        {news}
      </p>
    </>
  );
}
