import { EXIT, processIo, type CliIo } from './cli-io.js';
import { runEmrCli } from './emr-cli.js';
import { runPipelinesCli } from './pipelines-cli.js';

export const USAGE = `Usage: lakegate <group> <command> [options]

Groups:
  pipelines  start, follow and cancel runs on a gateway (LAKEGATE_URL): run | status | cancel
  emr        run the card pipeline on Amazon EMR: upload | create | submit | status | teardown

'lakegate <group> --help' lists the commands and their options.`;

/** The operator CLI (bin/lakegate.js): dispatches to a command group and answers the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [group, ...rest] = argv;
  if (group === undefined || group === '-h' || group === '--help' || group === 'help') {
    (group === undefined ? io.err : io.out)(USAGE);
    return group === undefined ? EXIT.usage : EXIT.ok;
  }
  if (group === 'emr') return runEmrCli(rest, io);
  if (group === 'pipelines') return runPipelinesCli(rest, io);
  io.err(`lakegate: unknown command group '${group}'\n\n${USAGE}`);
  return EXIT.usage;
}
