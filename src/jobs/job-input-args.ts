import { AppError } from '../errors.js';
import { isGzipName } from '../pipeline/input-check.js';

/**
 * How a Spark job is told its input: one file as `--input FILE`; several as `--input-list LIST`, a
 * text file naming them one per line, written by `writeList`. Never one `--input` per file: EMR caps
 * the strings of a step at 10,240 characters in all (about a hundred s3:// URLs), and a spark-submit
 * command line has the system's own limit. Hadoop picks the gzip codec by a lower-case `.gz` suffix
 * only: a `.GZ` file would be read as text, so it is refused (INPUT_INVALID) before any job starts.
 */
export async function jobInputArgs(files: readonly string[], writeList: (text: string) => Promise<string>): Promise<string[]> {
  const upper = files.find((f) => isGzipName(f) && !f.endsWith('.gz'));
  if (upper) throw new AppError('INPUT_INVALID', `input ${upper}: Spark reads gzip only by a lower-case .gz name; rename the file (the embedded engine reads it as it is)`, { details: { file: upper } });
  if (files.length === 1) return ['--input', files[0]!];
  return ['--input-list', await writeList(files.map((f) => `${f}\n`).join(''))];
}
