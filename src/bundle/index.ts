export { loadBundle } from './load';
export { writeRuntimeConfig, relocateSpec } from './write-config';
export type { WriteRuntimeConfigOptions } from './write-config';
export { convertLegacySpec, LEGACY_VERSION, CONVERTED_OCI_VERSION } from './legacy-convert';
export { validateOciSpec } from './oci-validate';
export { parseJsonExact, stringifySpec } from './json-exact';
export { IMAGE_ANNOTATION } from './loaded-bundle';
export type { LoadedBundle, InitProcess, BundleFormat } from './loaded-bundle';
export type * from './oci-types';
