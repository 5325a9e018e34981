/** A uPlot chart inside a figure, with its caption and a table of its figures for screen readers. */
import "uplot/dist/uPlot.min.css";

import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

// Distinct at a glance and each at least 4.5:1 against white, so lines and legend marks stay readable.
export const COLOURS = ["#2a5bd7", "#b3261e", "#1f7a4a", "#8a3fa8", "#9a5200"];

export type Table = { headers: string[]; rows: (string | number)[][] };

type Props = {
  id: string;
  caption: string;
  summary: string;
  options: Omit<uPlot.Options, "width" | "height">;
  data: uPlot.AlignedData;
  table: Table;
  height?: number;
};

/** Drawn afresh when its options or data change, and resized with its column (a phone's width too). */
export function Chart({ id, caption, summary, options, data, table, height = 220 }: Props) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (!element) return undefined;
    const plot = new uPlot({ ...options, width: element.clientWidth, height }, data, element);
    const resized = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height }));
    resized.observe(element);
    return () => {
      resized.disconnect();
      plot.destroy();
    };
  }, [options, data, height]);
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <strong>{caption}</strong> <span class="muted">{summary}</span>
      </figcaption>
      {/* The canvas says nothing to a screen reader: the table below says it all. */}
      <div class="chart-plot" ref={holder} aria-hidden="true" data-testid={id} />
      {/* Hidden by its box: a table ignores the 1px width and would widen the page on a phone. */}
      <div class="visually-hidden">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {table.headers.map((header) => (
                <th key={header} scope="col">
                  {header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={String(row[0])}>
                {row.map((cell, index) =>
                  index === 0 ? (
                    <th key={index} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={index}>{cell}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
