/** The managers' dashboard, loaded on its own (with uPlot) when a manager opens /c/<slug>/manage. */
import { useState } from "preact/hooks";

import { RequestError } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { Status } from "../../components/Status";
import { graphql } from "../../gql";
import type { Period } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { DigestPanel } from "./Digest";
import { FreshnessPanel } from "./Freshness";
import { PulsePanel } from "./Pulse";
import { Report } from "./Report";

const DASHBOARD = graphql(`
  query ManageDashboard($slug: String!, $period: Period!) {
    community(slug: $slug) {
      id
      engagement(period: $period) {
        ...ReportFigures
      }
      freshness {
        ...FreshnessFigures
      }
      trendingTags(period: $period, first: 10) {
        ...TrendingTag
      }
    }
  }
`);

const PERIODS: Period[] = ["DAY", "WEEK", "MONTH", "ALL"];

export function Dashboard({ slug }: { slug: string }) {
  const { t } = useI18n();
  const [period, setPeriod] = useState<Period>("MONTH");
  const { data, error, loading, refetch } = useQuery(DASHBOARD, { slug, period });
  const community = data?.community;
  // The role can change while the page is open: the API's refusal then says the same as the page's.
  if (error instanceof RequestError && error.code === "FORBIDDEN") return <p role="alert">{t("manage.refused")}</p>;
  return (
    <>
      <PulsePanel slug={slug} onBeat={() => void refetch()} />
      <section aria-labelledby="report" class="card">
        <h2 id="report">{t("manage.report")}</h2>
        <div class="field period">
          <label for="report-period">{t("manage.period")}</label>
          <select
            id="report-period"
            value={period}
            onChange={(event) => setPeriod(event.currentTarget.value as Period)}
          >
            {PERIODS.map((choice) => (
              <option key={choice} value={choice}>
                {t(`manage.period.${choice}`)}
              </option>
            ))}
          </select>
        </div>
        <Status loading={loading && !community} error={error}>
          {community && <Report report={community.engagement} />}
        </Status>
      </section>
      {community && (
        <FreshnessPanel
          slug={slug}
          period={period}
          freshness={community.freshness}
          trending={community.trendingTags}
          onGoalSet={() => void refetch()}
        />
      )}
      <DigestPanel slug={slug} />
    </>
  );
}
