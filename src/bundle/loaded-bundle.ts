import type { OciSpec } from './oci-types';

export type BundleFormat = 'oci' | 'legacy-0.2.0';

/** The init process as the v0 API's State reports it (api.proto Process without pid). */
export interface InitProcess {
  terminal: boolean;
  user: { uid: number; gid: number; additionalGids: number[] };
  args: string[];
  env: string[];
  cwd: string;
}

export interface LoadedBundle {
  /** The client's bundle directory, as given (absolute). Never written to. */
  bundlePath: string;
  format: BundleFormat;
  /** OCI 1.x spec for runc; converted (root.path still relative to bundlePath) for legacy bundles. */
  spec: OciSpec;
  /** process.terminal; the caller decides whether it can honour it. */
  terminal: boolean;
  process: InitProcess;
  /** Absolute path of the root filesystem (root.path resolved against bundlePath). */
  rootfs: string;
  /** Metrics label: annotation org.opencontainers.image.ref.name, else `rootfs`. */
  image: string;
  /** The spec's annotations ({} for legacy bundles, which had none). */
  annotations: Record<string, string>;
  /** True when runc cannot read the client's bundle as is: see writeRuntimeConfig. */
  needsRewrite: boolean;
}

export const IMAGE_ANNOTATION = 'org.opencontainers.image.ref.name';
