import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";

import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { Role } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { CommunityNav } from "../community/CommunityNav";
import { MembersAdmin } from "./admin/MembersAdmin";
import { RecognitionAdmin } from "./admin/RecognitionAdmin";

const MANAGE_ACCESS = graphql(`
  query ManageAccess($slug: String!) {
    community(slug: $slug) {
      id
      name
      viewerMembership {
        role
        status
      }
    }
  }
`);

// As the API's require_manager: owners and managers see the engagement analytics.
const MANAGING_ROLES = new Set<Role>(["OWNER", "MANAGER"]);

type DashboardProps = { slug: string };

/** The charts and their uPlot come in their own chunk, fetched only when a manager opens this page. */
function useDashboard(wanted: boolean) {
  const [dashboard, setDashboard] = useState<FunctionComponent<DashboardProps>>();
  const [failure, setFailure] = useState<Error>();
  useEffect(() => {
    if (!wanted) return;
    import("./Dashboard").then((module) => setDashboard(() => module.Dashboard), setFailure);
  }, [wanted]);
  return { Dashboard: dashboard, failure };
}

export function ManagePage({ slug }: { slug: string }) {
  const { t } = useI18n();
  const { data, error, loading } = useQuery(MANAGE_ACCESS, { slug });
  const membership = data?.community?.viewerMembership;
  const manager = membership?.status === "ACTIVE" && MANAGING_ROLES.has(membership.role);
  const { Dashboard, failure } = useDashboard(manager);
  return (
    <>
      <CommunityNav slug={slug} current="/manage" />
      <h1>{t("manage.title")}</h1>
      <Status loading={loading || (manager && !Dashboard)} error={error ?? failure}>
        {manager && Dashboard ? (
          <>
            <Dashboard slug={slug} />
            <MembersAdmin slug={slug} />
            <RecognitionAdmin slug={slug} />
          </>
        ) : (
          <p role="alert">{t("manage.refused")}</p>
        )}
      </Status>
    </>
  );
}
