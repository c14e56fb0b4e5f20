import { Families, type Exposition } from '../family';
import type { MetricsSource } from '../source';

export function machineCollector(exposition: Exposition, source: MetricsSource) {
  const f = new Families(exposition);
  const cores = f.gauge('machine_cpu_cores', 'Number of logical CPU cores.');
  const memory = f.gauge('machine_memory_bytes', 'Amount of memory installed on the machine.');
  return {
    name: 'machine',
    update() {
      f.begin();
      cores.add('', source.machine.cpus);
      memory.add('', source.machine.memoryBytes);
    },
  };
}
