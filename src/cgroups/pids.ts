import { parseLimit, parseSingleU64 } from './parse-values';
import { readRequired, type FileReader } from './read-file';
import type { PidsStats } from './types';

/** pids.current / pids.max: the same files on v1 and v2. */
export async function readPids(files: FileReader, dir: string, keep = false): Promise<PidsStats> {
  const [current, max] = await Promise.all([readRequired(files, dir, 'pids.current', keep), readRequired(files, dir, 'pids.max', keep)]);
  return { current: parseSingleU64(current, 'pids.current'), limit: parseLimit(max, 'pids.max') };
}
