// The `keel` command line: commands on top of Keel's HTTP API. Every failure becomes one line on
// stderr with its error code and a non-zero exit (1 for API errors, 2 for configuration and usage).
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { AgentFileError, applyAgent, listAgents } from './commands/agents-commands';
import { ExperimentIdInvalid, listExperiments, showExperimentReport, stopExperiment } from './commands/experiments-commands';
import { decideReview, listReviews } from './commands/reviews-commands';
import { DeployArgumentError, deployPromote, deployRamp, deployRollback, deployStatus, type DeployOptions } from './commands/deploy-commands';
import { runCommand } from './commands/run-command';
import { chatCommand } from './commands/chat-command';
import { downloadHistory, HistoryFileError, replayHistory } from './commands/history-commands';
import { cancelRun, forkRun, listRuns, showRun, type ForkOptions } from './commands/runs-commands';
import { CliConfigError, loadCliConfig } from './cli-config';
import { processIo, type CliIo } from './cli-io';
import { KeelApiError, KeelClient, KeelUnreachable } from './keel-client';
import { evalRun, EvalOptionsError, type EvalOptions } from './commands/eval-command';
import { DatasetFileError } from './eval-dataset';

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const client = () => new KeelClient(loadCliConfig());
  const action = <A extends unknown[]>(work: (...args: A) => Promise<number>) => async (...args: A) => setExitCode(await work(...args));

  const program = new Command('keel')
    .description('Run and manage durable agents on Keel (KEEL_URL, KEEL_API_KEY or ~/.config/keel/config.json)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program.command('run').argument('<task>', 'what the agent should do')
    .description('start a run, follow it, print its answer (exit 0 when it completed)')
    .option('-m, --model <model>', 'model id (GET /v1/models)')
    .option('-a, --agent <agent>', 'saved agent: name or name@version')
    .option('-q, --quiet', 'print only the answer')
    .action(action((task: string, options: { model?: string; agent?: string; quiet?: boolean }) => runCommand(client(), io, task, options)));

  program.command('chat').description('an interactive conversation: streamed answers, reviews asked inline, /help for commands')
    .option('-m, --model <model>', 'model id (GET /v1/models)')
    .option('-a, --agent <agent>', 'saved agent: name or name@version')
    .action(action((options: { model?: string; agent?: string }) => chatCommand(client(), io, options)));

  const history = program.command('history').description('workflow histories of runs');
  history.command('download').argument('<run>', 'run id').option('-o, --output <file>', 'write here instead of stdout')
    .description("the run's Temporal workflow history as JSON (what keel replay reads)")
    .action(action((runId: string, options: { output?: string }) => downloadHistory(client(), io, runId, options)));
  program.command('replay').argument('<file>', 'a history JSON (keel history download, the Web UI, temporal workflow show)')
    .description('replay a history against the current workflow code; exit 1 on nondeterminism')
    .action(action((file: string) => replayHistory(io, file)));

  const runs = program.command('runs').description('list, show, cancel and fork runs');
  runs.command('ls').description('your runs, newest first').option('-n, --limit <n>', 'how many', '20')
    .action(action((options: { limit?: string }) => listRuns(client(), io, options)));
  runs.command('show').argument('<id>').description('a run as JSON').action(action((id: string) => showRun(client(), io, id)));
  runs.command('cancel').argument('<id>').option('-r, --reason <reason>').description('cancel a run gracefully')
    .action(action((id: string, options: { reason?: string }) => cancelRun(client(), io, id, options)));
  runs.command('fork').argument('<id>', 'the run to fork')
    .requiredOption('-k, --from-step <k>', "continue from the run as it stood after this step (its reply and tool results)", stepNumber)
    .option('-m, --message <text>', 'a user message the fork reads first (required after a step that answered)')
    .option('--model <model>', 'another model for the fork')
    .option('--instructions <text>', "another system prompt for the fork")
    .description("a new run on the run's transcript up to step k, with its workspace as it was then; prints the new run's id")
    .action(action((id: string, options: ForkOptions) => forkRun(client(), io, id, options)));

  const reviews = program.command('reviews').description('list and decide what runs wait for');
  reviews.command('ls').description('reviews, pending unless --status says otherwise')
    .option('-s, --status <status>', 'pending, approved, rejected, expired...').option('--run <id>', 'only this run\'s')
    .action(action((options: { status?: string; run?: string }) => listReviews(client(), io, options)));
  for (const decision of ['approve', 'reject'] as const) {
    reviews.command(decision).argument('<id>', 'review id (rev_...)').option('-r, --reason <reason>', 'why (the agent reads it)')
      .description(`${decision} a review`)
      .action(action((id: string, options: { reason?: string }) => decideReview(client(), io, id, decision, options)));
  }

  const agents = program.command('agents').description('saved agent definitions');
  agents.command('ls').description('your agents, latest version of each').action(action(() => listAgents(client(), io)));
  agents.command('apply').requiredOption('-f, --file <file>', 'agent definition (YAML or JSON)')
    .description('create the agent, or save a new version of it')
    .action(action((options: { file: string }) => applyAgent(client(), io, options.file)));
  const experiments = program.command('experiments').description("A/B experiments over an agent's settings");
  experiments.command('ls').description("your tenant's experiments, newest first").action(action(() => listExperiments(client(), io)));
  experiments.command('report').argument('<id>', 'experiment id (exp_...)').description('per-arm metrics with 95% intervals and p-values against the first arm')
    .action(action((id: string) => showExperimentReport(client(), io, id)));
  experiments.command('stop').argument('<id>', 'experiment id (exp_...)').requiredOption('-w, --winner <arm>', 'the arm every new run gets')
    .description('stop an experiment: every new run of its agent gets the winner')
    .action(action((id: string, options: { winner: string }) => stopExperiment(client(), io, id, options.winner)));
  const deploy = program.command('deploy').description('which worker build takes new runs (platform operator; runs already started stay on theirs)')
    .option('-d, --deployment <name>', 'the Worker Deployment (default KEEL_DEPLOYMENT_NAME, else keel)');
  const deployOptions = (): DeployOptions => deploy.opts<DeployOptions>();
  deploy.command('status').description('the current build, the ramping one and every build seen polling')
    .action(action(() => deployStatus(client(), io, deployOptions())));
  deploy.command('ramp').argument('<build>', 'the build id (KEEL_BUILD_ID of its workers)').argument('<percent>', 'share of new runs, 0 to 100')
    .description('send a share of new runs to a build')
    .action(action((buildId: string, percent: string) => deployRamp(client(), io, buildId, percent, deployOptions())));
  deploy.command('promote').argument('[build]', 'the build id (default: the ramping build)')
    .description('make a build current: every new run goes to it')
    .action(action((buildId: string | undefined) => deployPromote(client(), io, buildId, deployOptions())));
  deploy.command('rollback').description('stop the ramp, or with none, go back to the build current before the last promotion')
    .action(action(() => deployRollback(client(), io, deployOptions())));
  const evals = program.command('eval').description('evals: score an agent over a dataset of inputs');
  evals.command('run').argument('<dataset>', 'JSON Lines: {"input": "...", "expected"?: {...}, "scorers"?: [...]} per line')
    .requiredOption('-a, --agent <agent>', 'the agent to run: name or name@version')
    .option('-t, --threshold <value>', 'exit 1 when the overall pass rate (or --metric mean) is below this, 0..1')
    .option('--metric <metric>', 'what the threshold is held against: pass-rate (default) or mean')
    .option('--json', 'print the summary and every case as JSON (for CI)')
    .option('-c, --concurrency <n>', 'runs at a time', '4')
    .option('--timeout <seconds>', 'how long to wait for each run', '600')
    .description('one run per line, each scored by Keel (the line\'s scorers, else the agent\'s); a table per scorer; exit 1 below the threshold')
    .action(action((dataset: string, options: EvalOptions) => evalRun(client(), io, dataset, options)));

  // Handled by scripts/keel.ts before this program runs (it opens the database); listed here for --help.
  program.command('admin').description('operator commands on the database itself (DATABASE_URL)')
    .command('bootstrap').description('create the first platform operator key and print it once (refused while one exists)')
    .action(action(async () => {
      io.err('error usage: run `keel admin bootstrap` through bin/keel.js or `npm run keel --`, which open the database\n');
      return EXIT_USAGE;
    }));
  return program;
}

/** A step number for --from-step: a usage error (exit 2) before any request when it is not one. */
function stepNumber(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a step number (1 or more)');
  return Number(value);
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => { exitCode = code; });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error instanceof KeelApiError) {
      io.err(`error ${error.code} (HTTP ${error.status}): ${error.message}\n`);
      return EXIT_FAILED;
    }
    if (error instanceof KeelUnreachable) {
      io.err(`error unreachable: ${error.message}\n`);
      return EXIT_FAILED;
    }
    if (error instanceof CliConfigError) {
      io.err(`error config: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof HistoryFileError) {
      io.err(`error history_file: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof DatasetFileError) {
      io.err(`error dataset_file: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof EvalOptionsError || error instanceof DeployArgumentError) {
      io.err(`error usage: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof AgentFileError) {
      io.err(`error agent_file: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ExperimentIdInvalid) {
      io.err(`error usage: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
