import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { BadgeCatalogueQuery, BadgeTier } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { CommunityNav } from "../community/CommunityNav";

const TIERS: readonly BadgeTier[] = ["BRONZE", "SILVER", "GOLD"];

const CATALOGUE = graphql(`
  query BadgeCatalogue($slug: String!) {
    community(slug: $slug) {
      id
      badges {
        id
        slug
        name
        description
        tier
        automatic
        holderCount
      }
      viewerMembership {
        id
        status
        badges {
          id
          badge {
            id
          }
        }
        badgeProgress {
          slug
          current
          target
          earned
        }
      }
    }
  }
`);

type Community = NonNullable<BadgeCatalogueQuery["community"]>;
type Badge = Community["badges"][number];
type Progress = NonNullable<Community["viewerMembership"]>["badgeProgress"][number];

/** The viewer's standing toward one badge: held, on the way (automatic badges), or nothing to say. */
function Standing({ badge, held, progress }: { badge: Badge; held: boolean; progress: Progress | undefined }) {
  const { t, number } = useI18n();
  if (held || progress?.earned) return <p class="held">{t("badges.held")}</p>;
  if (!progress) return null;
  const label = t("badges.progressLabel", { badge: badge.name });
  return (
    <p class="progress">
      <progress value={progress.current} max={progress.target} aria-label={label} />{" "}
      {t("badges.progress", { current: number(progress.current), target: number(progress.target) })}
    </p>
  );
}

function BadgeCard({ badge, held, progress }: { badge: Badge; held: boolean; progress: Progress | undefined }) {
  const { t, plural } = useI18n();
  return (
    <li class={`card badge-card tier-${badge.tier.toLowerCase()}`}>
      <h3>{badge.name}</h3>
      <p>{badge.description}</p>
      <p class="muted">
        {t(badge.automatic ? "badges.automatic" : "badges.custom")} · {plural("badges.holders", badge.holderCount)}
      </p>
      <Standing badge={badge} held={held} progress={progress} />
    </li>
  );
}

export function BadgesPage({ slug }: { slug: string }) {
  const { t } = useI18n();
  const { data, error, loading } = useQuery(CATALOGUE, { slug });
  const community = data?.community;
  if (data && !community) return <p role="alert">{t("community.notFound")}</p>;
  const membership = community?.viewerMembership?.status === "ACTIVE" ? community.viewerMembership : null;
  const held = new Set(membership?.badges.map(({ badge }) => badge.id));
  const progress = new Map(membership?.badgeProgress.map((standing) => [standing.slug, standing]));
  return (
    <>
      <CommunityNav slug={slug} current="/badges" />
      <h1>{t("badges.title")}</h1>
      <p class="lead">{t("badges.intro")}</p>
      <Status loading={loading && !data} error={error}>
        {community?.badges.length === 0 && <p>{t("badges.empty")}</p>}
        {TIERS.map((tier) => {
          const badges = community?.badges.filter((badge) => badge.tier === tier) ?? [];
          if (badges.length === 0) return null;
          return (
            <section key={tier} aria-labelledby={`tier-${tier}`}>
              <h2 id={`tier-${tier}`}>{t(`recognition.tier.${tier}`)}</h2>
              <ul class="cards badge-list">
                {badges.map((badge) => (
                  <BadgeCard
                    key={badge.id}
                    badge={badge}
                    held={held.has(badge.id)}
                    progress={progress.get(badge.slug)}
                  />
                ))}
              </ul>
            </section>
          );
        })}
      </Status>
    </>
  );
}
