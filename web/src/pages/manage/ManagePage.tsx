import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";

import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import { useI18n } from "../../i18n";
import { isManaging } from "../../roles";
import { CommunityNav } from "../community/CommunityNav";

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

type ToolsProps = { slug: string };

/** The charts, their uPlot and the panels come in their own chunk, fetched only when a manager opens this page. */
function useManagerTools(wanted: boolean) {
  const [tools, setTools] = useState<FunctionComponent<ToolsProps>>();
  const [failure, setFailure] = useState<Error>();
  useEffect(() => {
    if (!wanted) return;
    import("./ManagerTools").then((module) => setTools(() => module.ManagerTools), setFailure);
  }, [wanted]);
  return { ManagerTools: tools, failure };
}

export function ManagePage({ slug }: { slug: string }) {
  const { t } = useI18n();
  const { data, error, loading } = useQuery(MANAGE_ACCESS, { slug });
  const membership = data?.community?.viewerMembership;
  const manager = isManaging(membership);
  const { ManagerTools, failure } = useManagerTools(manager);
  return (
    <>
      <CommunityNav slug={slug} current="/manage" />
      <h1>{t("manage.title")}</h1>
      <Status loading={loading || (manager && !ManagerTools)} error={error ?? failure}>
        {manager && ManagerTools ? (
          <ManagerTools slug={slug} />
        ) : (
          <p role="alert">{t("manage.refused")}</p>
        )}
      </Status>
    </>
  );
}
