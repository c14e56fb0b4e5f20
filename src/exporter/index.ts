export { Exporter, type ExporterOptions } from './exporter';
export type { MetricsSource, ContainerMeta } from './source';
