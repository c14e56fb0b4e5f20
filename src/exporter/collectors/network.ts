import type { Collector, CollectorContext } from '../collector';
import { esc, num } from '../collector';
import { Families } from '../family';
import type { Snapshot } from '../source';

/** Per-interface counters of the container's netns, loopback excluded (as cAdvisor does). */
export function networkCollector(ctx: CollectorContext): Collector {
  const f = new Families(ctx.exposition);
  const m = {
    rxBytes: f.counter('container_network_receive_bytes_total', 'Cumulative count of bytes received.'),
    rxPackets: f.counter('container_network_receive_packets_total', 'Cumulative count of packets received.'),
    rxDropped: f.counter('container_network_receive_packets_dropped_total', 'Cumulative count of packets dropped while receiving.'),
    rxErrors: f.counter('container_network_receive_errors_total', 'Cumulative count of errors encountered while receiving.'),
    txBytes: f.counter('container_network_transmit_bytes_total', 'Cumulative count of bytes transmitted.'),
    txPackets: f.counter('container_network_transmit_packets_total', 'Cumulative count of packets transmitted.'),
    txDropped: f.counter('container_network_transmit_packets_dropped_total', 'Cumulative count of packets dropped while transmitting.'),
    txErrors: f.counter('container_network_transmit_errors_total', 'Cumulative count of errors encountered while transmitting.'),
  };
  return {
    name: 'network',
    begin: () => f.begin(),
    add(s: Snapshot) {
      const l = ctx.labels(s);
      for (const n of s.net) {
        if (n.name === 'lo') continue;
        const il = `${l},interface="${esc(n.name)}"`;
        for (const key of Object.keys(m) as (keyof typeof m)[]) m[key].add(il, num(n[key]));
      }
    },
  };
}
