import type { ComponentChildren } from "preact";

import { useQuery } from "../../../api/useQuery";
import { graphql } from "../../../gql";

const VIEWER_ROLE = graphql(`
  query AdminViewerRole($slug: String!) {
    community(slug: $slug) {
      id
      viewerMembership {
        id
        role
        status
      }
    }
  }
`);

/** Its children for the community's active owners and managers; nothing at all for anyone else. */
export function ManagersOnly({ slug, children }: { slug: string; children: ComponentChildren }) {
  const { data } = useQuery(VIEWER_ROLE, { slug });
  const membership = data?.community?.viewerMembership;
  const managing = membership?.status === "ACTIVE" && (membership.role === "OWNER" || membership.role === "MANAGER");
  return managing ? <>{children}</> : null;
}
