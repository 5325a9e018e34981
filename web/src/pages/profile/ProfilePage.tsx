import { useState } from "preact/hooks";

import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { useSession } from "../../session";
import { dayOf } from "./dates";
import { ProfileForm } from "./ProfileForm";
import { Standing } from "./Standing";

const PROFILE = graphql(`
  query MemberProfile($username: String!) {
    member(username: $username) {
      id
      username
      displayName
      bio
      skills
      experience
      joinedAt
      memberships(first: 100) {
        edges {
          node {
            id
            community {
              slug
              name
            }
          }
        }
      }
    }
  }
`);

/** `/members/<username>`: who they are, and their standing in the community chosen (`?community=<slug>`). */
export function ProfilePage({ username }: { username: string }) {
  const { t, locale } = useI18n();
  const { viewer, refresh } = useSession();
  const { data, loading, error, refetch } = useQuery(PROFILE, { username });
  const [chosen, setChosen] = useState(() => new URLSearchParams(location.search).get("community") ?? "");
  if (data && !data.member) return <p role="alert">{t("profile.notFound")}</p>;
  const member = data?.member;
  const memberships = member?.memberships.edges.map(({ node }) => node) ?? [];
  const shown = memberships.find(({ community }) => community.slug === chosen) ?? memberships[0];
  const choose = (slug: string) => {
    setChosen(slug);
    history.replaceState(null, "", `${location.pathname}?community=${encodeURIComponent(slug)}`);
  };
  return (
    <Status loading={loading && !data} error={error}>
      {member && (
        <>
          <h1>{member.displayName}</h1>
          <p class="lead">
            @{member.username} · {t("profile.joined", { date: dayOf(locale, member.joinedAt) })}
          </p>
          <section aria-labelledby="profile-about" class="card">
            <h2 id="profile-about">{t("profile.about")}</h2>
            {member.bio && <p>{member.bio}</p>}
            <h3>{t("profile.skills")}</h3>
            {member.skills.length === 0 ? (
              <p class="muted">{t("profile.noSkills")}</p>
            ) : (
              <ul class="tags">
                {member.skills.map((skill) => (
                  <li key={skill}>{skill}</li>
                ))}
              </ul>
            )}
            {member.experience && (
              <>
                <h3>{t("profile.experience")}</h3>
                <p>{member.experience}</p>
              </>
            )}
          </section>
          <section aria-labelledby="profile-standing" class="card">
            <h2 id="profile-standing">{t("profile.standing")}</h2>
            {shown ? (
              <>
                <div class="field">
                  <label for="profile-community">{t("profile.community")}</label>
                  <select
                    id="profile-community"
                    value={shown.community.slug}
                    onChange={(event) => choose(event.currentTarget.value)}
                  >
                    {memberships.map(({ id, community }) => (
                      <option key={id} value={community.slug}>
                        {community.name}
                      </option>
                    ))}
                  </select>
                </div>
                <p>
                  <Link href={`/c/${shown.community.slug}`}>{shown.community.name}</Link>
                </p>
                <Standing key={shown.id} membershipId={shown.id} />
              </>
            ) : (
              <p>{t("profile.noCommunity")}</p>
            )}
          </section>
          {viewer?.id === member.id && (
            <ProfileForm
              profile={member}
              onSaved={async () => {
                await Promise.all([refetch(), refresh()]);
              }}
            />
          )}
        </>
      )}
    </Status>
  );
}
