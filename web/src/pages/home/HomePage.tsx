import { useState } from "preact/hooks";

import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { useSession } from "../../session";
import { YourCommunities } from "./YourCommunities";

const COMMUNITIES = graphql(`
  query Communities($search: String) {
    communities(first: 50, search: $search) {
      edges {
        node {
          id
          slug
          name
          description
          memberCount
        }
      }
    }
  }
`);

export function HomePage() {
  const { t, plural } = useI18n();
  const { viewer } = useSession();
  const [search, setSearch] = useState("");
  const { data, loading, error } = useQuery(COMMUNITIES, { search: search.trim() || null });
  const communities = data?.communities.edges.map(({ node }) => node) ?? [];
  return (
    <>
      <h1>{t("home.title")}</h1>
      {viewer && <YourCommunities key={viewer.id} />}
      <label class="field">
        <span>{t("home.search")}</span>
        <input type="search" maxLength={100} value={search} onInput={(event) => setSearch(event.currentTarget.value)} />
      </label>
      <Status loading={loading && !data} error={error}>
        {communities.length === 0 && <p>{t("home.empty")}</p>}
        <ul class="cards">
          {communities.map((community) => (
            <li key={community.id} class="card">
              <h2>
                <Link href={`/c/${community.slug}`}>{community.name}</Link>
              </h2>
              {community.description && <p>{community.description}</p>}
              <p class="muted">{plural("home.members", community.memberCount)}</p>
            </li>
          ))}
        </ul>
      </Status>
    </>
  );
}
