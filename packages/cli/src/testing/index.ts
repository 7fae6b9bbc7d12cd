export { runCli, CLI_SOURCE, SOURCE_NODE_ARGS, type CliRun } from './runCli.js';
