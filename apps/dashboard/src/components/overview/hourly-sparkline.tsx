import { hourLabel, sparklineScale, type TrafficHour } from "./overview-figures.ts";

const BAR = 10;
const GAP = 3;
const HEIGHT = 56;

/**
 * Today's requests hour by hour as small bars, yesterday's same hours as ticks behind them.
 * The picture is for the eye; screen readers get the same figures as a table.
 */
export function HourlySparkline({ hours }: { hours: readonly TrafficHour[] }) {
  const scale = sparklineScale(hours);
  const width = hours.length * (BAR + GAP);
  return (
    <figure className="flex flex-col gap-1.5">
      <svg
        aria-hidden="true"
        viewBox={`0 0 ${Math.max(width, 1)} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="h-14 w-full max-w-xl"
        data-testid="hourly-sparkline"
      >
        {hours.map((hour, index) => {
          const x = index * (BAR + GAP);
          const todayHeight = Math.max(scale.today[index] ?? 0, hour.requests > 0 ? 0.04 : 0) * HEIGHT;
          const yesterdayY = HEIGHT - (scale.yesterday[index] ?? 0) * HEIGHT;
          return (
            <g key={hour.start.toISOString()}>
              <rect
                x={x}
                y={HEIGHT - todayHeight}
                width={BAR}
                height={todayHeight}
                rx={1.5}
                className="fill-accent"
              />
              {hour.requestsYesterday > 0 ? (
                <rect
                  x={x}
                  y={Math.min(yesterdayY, HEIGHT - 2)}
                  width={BAR}
                  height={2}
                  className="fill-text-muted"
                />
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="flex justify-between text-xs text-text-muted">
        <span>00:00 UTC</span>
        <span>Bars: today · ticks: yesterday</span>
        <span>{hours.length > 0 ? hourLabel(hours[hours.length - 1]?.start ?? new Date()) : ""}</span>
      </figcaption>
      <table className="sr-only">
        <caption>Requests by hour, today and the same hour yesterday (UTC)</caption>
        <thead>
          <tr>
            <th scope="col">Hour</th>
            <th scope="col">Requests today</th>
            <th scope="col">Errors today</th>
            <th scope="col">Requests yesterday</th>
          </tr>
        </thead>
        <tbody>
          {hours.map((hour) => (
            <tr key={hour.start.toISOString()}>
              <th scope="row">{hourLabel(hour.start)}</th>
              <td>{hour.requests}</td>
              <td>{hour.errors}</td>
              <td>{hour.requestsYesterday}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
