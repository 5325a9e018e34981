/** One period's engagement report: the health score and its parts, the key figures and rates, the daily series. */
import { useMemo } from "preact/hooks";
import uPlot from "uplot";

import { graphql } from "../../gql";
import type { ReportFiguresFragment } from "../../gql/graphql";
import { type I18n, useI18n } from "../../i18n";
import { Chart, COLOURS } from "./Chart";
import { day, dayAt, percent, unixSeconds } from "./format";

graphql(`
  fragment ReportFigures on EngagementReport {
    period
    activeMembers
    newMembers
    contributors
    participationRate
    posts
    comments
    reactions
    kudos
    responseRate
    medianFirstResponseMinutes
    newcomerActivationRate
    eventAttendanceRate
    healthScore
    components {
      key
      value
      target
      score
      weight
    }
    series {
      date
      activeMembers
      newMembers
      posts
      comments
      reactions
      kudos
    }
  }
`);

type Point = ReportFiguresFragment["series"][number];
type Figure = "posts" | "comments" | "reactions" | "kudos" | "activeMembers" | "newMembers";
type Component = ReportFiguresFragment["components"][number];

const CONTENT: Figure[] = ["posts", "comments", "reactions", "kudos"];
const PEOPLE: Figure[] = ["activeMembers", "newMembers"];
const BARS = uPlot.paths.bars; // in every build of uPlot but its smallest
const AXIS = { stroke: "#5a6272", grid: { stroke: "#e6e9ef" }, ticks: { stroke: "#d9dde5" } };

const COMPONENTS = [
  "activity",
  "participation",
  "responsiveness",
  "response_time",
  "newcomer_activation",
  "freshness",
  "event_attendance",
] as const;

/** The component's name in the reader's language (the API's `label` is English); its key if it is new. */
function componentName(t: I18n["t"], key: string): string {
  const known = COMPONENTS.find((component) => component === key);
  return known ? t(`manage.component.${known}`) : key;
}

/** A daily series chart of some figures, its caption's totals and its table. */
function useSeriesChart(series: Point[], figures: Figure[]) {
  const { t, locale, number } = useI18n();
  return useMemo(() => {
    const names = figures.map((figure) => t(`manage.${figure}`));
    const first = series[0]?.date ?? "";
    const last = series.at(-1)?.date ?? "";
    const totals = figures.map((figure, index) => {
      const name = names[index] ?? figure;
      // The same members are active day after day: their sum would count them again and again.
      if (figure === "activeMembers") {
        return t("manage.peak", { name, count: number(Math.max(0, ...series.map((point) => point[figure]))) });
      }
      return `${name} ${number(series.reduce((sum, point) => sum + point[figure], 0))}`;
    });
    const options: Omit<uPlot.Options, "width" | "height"> = {
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC"),
      scales: { y: { range: (_plot, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        {
          ...AXIS,
          values: (_plot, splits) => splits.map((seconds) => dayAt(locale, seconds)),
        },
        AXIS,
      ],
      series: [
        { label: t("manage.day"), value: (_plot, seconds) => (seconds == null ? "" : dayAt(locale, seconds)) },
        ...names.map((label, index) => ({
          label,
          stroke: COLOURS[index] ?? "#1d2330",
          width: 2,
          points: { show: series.length < 40 }, // dots while there is room for them
        })),
      ],
    };
    const data: uPlot.AlignedData = [
      series.map(({ date }) => unixSeconds(date)),
      ...figures.map((figure) => series.map((point) => point[figure])),
    ];
    const table = {
      headers: [t("manage.day"), ...names],
      rows: series.map((point) => [day(locale, point.date), ...figures.map((figure) => point[figure])]),
    };
    const summary = t("manage.chartSummary", {
      from: day(locale, first),
      to: day(locale, last),
      totals: totals.join(", "),
    });
    return { options, data, table, summary };
  }, [series, figures, t, locale, number]);
}

function ComponentsChart({ components, score }: { components: Component[]; score: number }) {
  const { t, locale } = useI18n();
  const chart = useMemo(() => {
    const names = components.map(({ key }) => componentName(t, key));
    const scores = components.map((component) => Math.round(component.score * 100));
    const options: Omit<uPlot.Options, "width" | "height"> = {
      legend: { show: false }, // one series, named by the caption
      scales: { x: { time: false, range: [-0.5, components.length - 0.5] }, y: { range: [0, 100] } },
      axes: [
        {
          ...AXIS,
          splits: () => components.map((_, index) => index),
          values: (_plot, splits) => splits.map((index) => names[index] ?? ""),
          grid: { show: false },
        },
        AXIS,
      ],
      series: [
        { label: t("manage.component"), value: (_plot, index) => (index == null ? "" : (names[index] ?? "")) },
        {
          label: t("manage.componentScore"),
          stroke: COLOURS[0] ?? "#2a5bd7",
          fill: "rgba(42, 91, 215, 0.6)",
          ...(BARS && { paths: BARS({ size: [0.6, 64] }) }),
          points: { show: false },
        },
      ],
    };
    const data: uPlot.AlignedData = [components.map((_, index) => index), scores];
    // Every figure is a share but response_time's, in minutes.
    const shown = (component: Component, figure: number) =>
      component.key === "response_time" ? t("manage.minutes", { count: Math.round(figure) }) : percent(locale, figure);
    const table = {
      headers: [
        t("manage.component"),
        t("manage.componentScore"),
        t("manage.componentValue"),
        t("manage.componentTarget"),
        t("manage.componentWeight"),
      ],
      rows: components.map((component, index) => [
        names[index] ?? component.key,
        scores[index] ?? 0,
        shown(component, component.value),
        shown(component, component.target),
        percent(locale, component.weight),
      ]),
    };
    const parts = components.map((_, index) => `${names[index]} ${scores[index]}`).join(", ");
    return { options, data, table, summary: t("manage.componentsSummary", { score, parts }) };
  }, [components, score, t, locale]);
  return <Chart id="chart-health" caption={t("manage.componentsChart")} height={200} {...chart} />;
}

function Rate({ label, share }: { label: string; share: number | null | undefined }) {
  const { t, locale } = useI18n();
  return (
    <div class="rate">
      <dt>{label}</dt>
      <dd>
        {share == null ? t("manage.none") : percent(locale, share)}
        {share != null && (
          <span class="rate-bar" aria-hidden="true">
            <span style={{ width: `${Math.min(100, Math.round(share * 100))}%` }} />
          </span>
        )}
      </dd>
    </div>
  );
}

export function Report({ report }: { report: ReportFiguresFragment }) {
  const { t, number } = useI18n();
  const content = useSeriesChart(report.series, CONTENT);
  const people = useSeriesChart(report.series, PEOPLE);
  const figures: Figure[] = [...PEOPLE, ...CONTENT];
  const median = report.medianFirstResponseMinutes;
  return (
    <>
      <div class="health">
        <h3>{t("manage.health")}</h3>
        <p class="health-score">
          {t("manage.healthScore", { score: report.healthScore })}
        </p>
      </div>
      <ComponentsChart components={report.components} score={report.healthScore} />
      <h3>{t("manage.figures")}</h3>
      <dl class="figures">
        {figures.map((figure) => (
          <div key={figure}>
            <dt>{t(`manage.${figure}`)}</dt>
            <dd>{number(report[figure])}</dd>
          </div>
        ))}
        <div>
          <dt>{t("manage.contributors")}</dt>
          <dd>{number(report.contributors)}</dd>
        </div>
      </dl>
      <h3>{t("manage.rates")}</h3>
      <dl class="rates">
        <Rate label={t("manage.participationRate")} share={report.participationRate} />
        <Rate label={t("manage.responseRate")} share={report.responseRate} />
        <Rate label={t("manage.newcomerActivationRate")} share={report.newcomerActivationRate} />
        <Rate label={t("manage.eventAttendanceRate")} share={report.eventAttendanceRate} />
        <div class="rate">
          <dt>{t("manage.medianFirstResponse")}</dt>
          <dd>{median == null ? t("manage.none") : t("manage.minutes", { count: number(Math.round(median)) })}</dd>
        </div>
      </dl>
      <Chart id="chart-content" caption={t("manage.contentChart")} {...content} />
      <Chart id="chart-people" caption={t("manage.peopleChart")} {...people} />
    </>
  );
}
