/** Public surface of the cgroups layer (no gRPC, no prom-client: callers map these types). */
export type {
  BlkioEntry,
  BlkioStats,
  Cgroup,
  CgroupMode,
  CgroupRoots,
  CgroupSample,
  CgroupStats,
  Controller,
  CpuSpec,
  CpuStats,
  CpuThrottling,
  CpuUsage,
  GroupError,
  HugetlbStats,
  Limit,
  MemoryData,
  MemoryStats,
  NetDevSample,
  NetDevStats,
  PageFaults,
  PidsStats,
  StatsGroup,
} from './types';
export { CgroupReader, DEFAULT_ROOTS, type CgroupReaderOptions } from './cgroup-reader';
export { CgroupV1, type CgroupV1Options } from './cgroup-v1';
export { CgroupV2, parseControllers, parseCpuMax, type CgroupV2Options } from './cgroup-v2';
export { cpuWeightToShares, isUnlimited } from './limits';
export { CgroupFileError } from './file-error';
export { buildMountTable, detectMode, parseMountinfo, rebaseMountPoint, HOST_CGROUP_ROOT, type CgroupMount, type CgroupMountTable, type MountEntry } from './mountinfo';
export { joinCgroupPath, parseProcCgroup, resolveCgroup, resolveCgroupPath, type ProcCgroupEntry, type ResolvedCgroup } from './proc-cgroup';
export { readNetDev } from './net-dev';
export { parseNetDev } from './parse-net-dev';
export { blkioFromIoStat, parseBlkioV1, parseIoStat, type IoStatDevice } from './parse-blkio';
export { hugetlbPageSizes } from './parse-hugetlb';
export { isUintText, parseKeyed, parseLimit, parsePerCpu, parseSingleU64, parseU64Token, requireKey, V1_UNLIMITED_MIN, type Keyed } from './parse-values';
export { netDevSampleOf, sampleOf } from './sample';
export { createFileReader, createSyncFileReader, type FileReader, type FileReaderOptions } from './read-file';
export { DEFAULT_KEPT_FILES, type KeptTable } from './kept-files';
