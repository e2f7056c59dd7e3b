// The bash sandbox: bubblewrap command lines, detection of a working bwrap, resource limits, and
// the choice between sandboxed and explicitly unsafe execution.
export { detectBubblewrap, probeBubblewrap, BUBBLEWRAP_PROBE_ARGUMENTS, type BubblewrapProbe } from './bubblewrap-detection';
export { buildBwrapCommand, ETC_READ_ONLY_PATHS, NETWORK_ETC_PATHS, SANDBOX_HOSTNAME, SYSTEM_READ_ONLY_PATHS, type BwrapOptions } from './bwrap-command';
export { commandLaunch, type CommandLaunch, type CommandLaunchRequest } from './command-launch';
export { InvalidSandboxOptionsError, SandboxUnavailableError, UNSAFE_BASH_VARIABLE } from './sandbox-errors';
export { DEFAULT_SANDBOX_LIMITS, limitsWrapperArgv, sandboxLimitsSchema, type SandboxLimits } from './sandbox-limits';
export {
  describeBashSandbox,
  resolveBashSandbox,
  type BashSandbox,
  type SandboxSelectionOptions,
} from './sandbox-selection';
