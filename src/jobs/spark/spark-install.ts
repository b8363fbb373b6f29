import { accessSync, constants, readdirSync } from 'node:fs';
import path from 'node:path';

/** Where spark-submit is, and the Python its driver should run (the venv that has pyspark). */
export interface SparkInstall {
  sparkSubmit: string;
  python?: string;
}

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Finds spark-submit: `$SPARK_HOME/bin/spark-submit` when a Spark home is given, else the one bundled
 * with pyspark in the project's virtualenv (`<root>/.venv/lib/python3.x/site-packages/pyspark/bin`,
 * made by scripts/setup-python.sh). The venv's python is returned too when it exists, because the
 * pip-installed spark-submit would otherwise start whatever `python3` is first on PATH.
 *
 * @example findSparkSubmit({ root: ROOT, sparkHome: config.spark.home }) // -> { sparkSubmit, python } | undefined
 */
export function findSparkSubmit(opts: { root: string; sparkHome?: string }): SparkInstall | undefined {
  const venvPython = path.join(opts.root, '.venv', 'bin', 'python');
  const python = executable(venvPython) ? venvPython : undefined;
  if (opts.sparkHome) {
    const submit = path.join(opts.sparkHome, 'bin', 'spark-submit');
    if (executable(submit)) return { sparkSubmit: submit, python };
  }
  const lib = path.join(opts.root, '.venv', 'lib');
  let versions: string[] = [];
  try {
    versions = readdirSync(lib).filter((d) => d.startsWith('python3')).sort().reverse();
  } catch {
    return undefined;
  }
  for (const v of versions) {
    const submit = path.join(lib, v, 'site-packages', 'pyspark', 'bin', 'spark-submit');
    if (executable(submit)) return { sparkSubmit: submit, python };
  }
  return undefined;
}
