import { useQuery } from "../../api/useQuery";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";

const YOUR_COMMUNITIES = graphql(`
  query YourCommunities {
    me {
      id
      memberships(first: 100, includePending: true) {
        edges {
          node {
            id
            status
            community {
              id
              slug
              name
            }
          }
        }
      }
    }
  }
`);

/** The viewer's communities, to switch between them; a request waiting for approval is marked as such. */
export function YourCommunities() {
  const { t } = useI18n();
  const { data } = useQuery(YOUR_COMMUNITIES, {});
  const memberships = data?.me?.memberships.edges.map(({ node }) => node) ?? [];
  if (memberships.length === 0) return null;
  return (
    <nav aria-labelledby="your-communities" class="card">
      <h2 id="your-communities">{t("home.yours")}</h2>
      <ul class="your-communities">
        {memberships.map(({ id, status, community }) => (
          <li key={id}>
            <Link href={`/c/${community.slug}`}>{community.name}</Link>
            {status === "PENDING" && <span class="pending-mark"> · {t("home.pending")}</span>}
          </li>
        ))}
      </ul>
    </nav>
  );
}
