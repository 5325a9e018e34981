import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { BadgeTier, Level } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import type { MessageKey } from "../../i18n/en";
import { dayOf } from "./dates";

const STANDING = graphql(`
  query MemberStanding($id: ID!) {
    node(id: $id) {
      __typename
      ... on Membership {
        id
        level
        points
        levelProgress {
          level
          points
          pointsNeeded
          activeDays
          activeDaysNeeded
        }
        badges {
          id
          awardedAt
          reason
          badge {
            id
            name
            description
            tier
          }
        }
        badgeProgress {
          slug
          name
          description
          tier
          current
          target
          earned
        }
        kudosReceived(first: 5) {
          totalCount
          edges {
            node {
              id
              message
              createdAt
              from {
                username
                displayName
              }
            }
          }
        }
      }
    }
  }
`);

const levelKey = (level: Level) => `profile.level.${level}` as MessageKey;
const tierKey = (tier: BadgeTier) => `profile.tier.${tier}` as MessageKey;

/** A bar with its numbers spelled out beside it: the numbers are what a screen reader reads. */
function Progress({ id, label, current, target }: { id: string; label: string; current: number; target: number }) {
  return (
    <div class="progress">
      <progress id={id} value={Math.min(current, target)} max={target} aria-label={label} />
      <span aria-hidden="true">{label}</span>
    </div>
  );
}

/** A member's standing in one community: level and the way to the next, points, badges, kudos. */
export function Standing({ membershipId }: { membershipId: string }) {
  const { t, date, locale, number, plural } = useI18n();
  const { data, loading, error } = useQuery(STANDING, { id: membershipId });
  const standing = data?.node?.__typename === "Membership" ? data.node : undefined;
  const ahead = standing?.badgeProgress.filter(({ earned }) => !earned) ?? [];
  return (
    <Status loading={loading && !data} error={error}>
      {standing && (
        <div class="standing">
          <dl class="figures">
            <div>
              <dt>{t("profile.level")}</dt>
              <dd>{t(levelKey(standing.level))}</dd>
            </div>
            <div>
              <dt>{t("profile.points")}</dt>
              <dd>{number(standing.points)}</dd>
            </div>
          </dl>
          {standing.levelProgress ? (
            <section aria-labelledby="next-level">
              <h3 id="next-level">{t("profile.nextLevel", { level: t(levelKey(standing.levelProgress.level)) })}</h3>
              <Progress
                id="next-level-points"
                label={t("profile.pointsOf", {
                  current: number(standing.levelProgress.points),
                  target: number(standing.levelProgress.pointsNeeded),
                })}
                current={standing.levelProgress.points}
                target={standing.levelProgress.pointsNeeded}
              />
              <Progress
                id="next-level-days"
                label={t("profile.daysOf", {
                  current: number(standing.levelProgress.activeDays),
                  target: number(standing.levelProgress.activeDaysNeeded),
                })}
                current={standing.levelProgress.activeDays}
                target={standing.levelProgress.activeDaysNeeded}
              />
            </section>
          ) : (
            <p>{t("profile.topLevel")}</p>
          )}
          <section aria-labelledby="badges">
            <h3 id="badges">{t("profile.badges")}</h3>
            {standing.badges.length === 0 && <p>{t("profile.noBadges")}</p>}
            <ul class="badge-list">
              {standing.badges.map(({ id, awardedAt, reason, badge }) => (
                <li key={id}>
                  <span class={`tier tier-${badge.tier.toLowerCase()}`}>{t(tierKey(badge.tier))}</span>{" "}
                  <strong>{badge.name}</strong> <span class="muted">{t("profile.awarded", { date: dayOf(locale, awardedAt) })}</span>
                  <br />
                  <small>{reason ?? badge.description}</small>
                </li>
              ))}
            </ul>
          </section>
          {ahead.length > 0 && (
            <section aria-labelledby="next-badges">
              <h3 id="next-badges">{t("profile.nextBadges")}</h3>
              <ul class="badge-list">
                {ahead.map((badge) => (
                  <li key={badge.slug}>
                    <span class={`tier tier-${badge.tier.toLowerCase()}`}>{t(tierKey(badge.tier))}</span>{" "}
                    <strong>{badge.name}</strong>: <small>{badge.description}</small>
                    <Progress
                      id={`badge-${badge.slug}`}
                      label={t("profile.progressOf", { current: number(badge.current), target: number(badge.target) })}
                      current={badge.current}
                      target={badge.target}
                    />
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="kudos">
            <h3 id="kudos">{t("profile.kudos")}</h3>
            {standing.kudosReceived.totalCount === 0 ? (
              <p>{t("profile.noKudos")}</p>
            ) : (
              <>
                <p>{plural("profile.kudosCount", standing.kudosReceived.totalCount)}</p>
                <ul class="kudos-list">
                  {standing.kudosReceived.edges.map(({ node }) => (
                    <li key={node.id}>
                      <q>{node.message}</q>{" "}
                      <span class="muted">
                        {t("profile.kudosFrom", { name: node.from.displayName })}, {date(node.createdAt)}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        </div>
      )}
    </Status>
  );
}
