import type { HiveServer2Config } from '../../config.js';
import { HiveServer2QueryEngine } from './hiveserver2-engine.js';

export { HiveServer2QueryEngine } from './hiveserver2-engine.js';

/** `engine: "hive"` or `engine: "impala"`: the same HiveServer2 client, each with its SQL dialect. */
export function createHiveServer2Engine(name: 'hive' | 'impala', dialect: 'hive' | 'impala', config: HiveServer2Config): HiveServer2QueryEngine {
  return new HiveServer2QueryEngine({ name, dialect, config });
}
