// Fork bombs: a function that calls itself in the background or through a pipe (`:(){ :|:& };:`
// and its renamed variants) multiplies processes until the machine stalls.
import { programName } from '../command-unwrapping';
import type { FlattenedScript } from '../shell-invocation';
import { finding, type SafetyFinding } from '../validation-result';

export function forkBombFindings(script: FlattenedScript): SafetyFinding[] {
  return script.functions
    .filter((definition) =>
      definition.invocations.some((invocation) => programName(invocation.words[0]) === definition.name && (invocation.background || invocation.inPipeline)),
    )
    .map((definition) =>
      finding('fork-bomb.function', 'critical', `function ${definition.name} calls itself in the background or through a pipe — a fork bomb; never spawn processes without bound`),
    );
}
