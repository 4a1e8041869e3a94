import { type Aggregator, Counter, Gauge, type Registry } from "prom-client";

/**
 * A gauge whose value is read at each scrape from state kept elsewhere (a writer's queue, the
 * limiter's backend), so the request path does nothing for it. `aggregator`: how the values
 * of a cluster's workers make one (GATEWAY_WORKERS > 1): summed unless said otherwise, right
 * for queues, wrong for a state every worker reads alike.
 */
export function gaugeReadAtScrape(
  registry: Registry,
  name: string,
  help: string,
  read: () => number,
  aggregator: Aggregator = "sum",
) {
  new Gauge({
    name,
    help,
    aggregator,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** A counter whose total is read at each scrape from a count kept elsewhere (it only grows). */
export function counterReadAtScrape(registry: Registry, name: string, help: string, read: () => number) {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/**
 * A gauge read at each scrape that has no sample while its source cannot say (a database
 * that is down): an absent series alerts (`absent(...)`), a 0 would read as all clear.
 */
export function gaugeReadAtScrapeOrAbsent(
  registry: Registry,
  name: string,
  help: string,
  read: () => Promise<number | null>,
  aggregator: Aggregator = "sum",
) {
  let isKnown = false;
  class GaugeAbsentWhenUnknown extends Gauge {
    override async get() {
      const metric = await super.get();
      return isKnown ? metric : { ...metric, values: [] };
    }
  }
  new GaugeAbsentWhenUnknown({
    name,
    help,
    aggregator,
    registers: [registry],
    async collect() {
      const value = await read();
      isKnown = value !== null;
      if (value !== null) this.set(value);
    },
  });
}
