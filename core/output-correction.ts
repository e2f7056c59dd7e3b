// What the model is told when its final answer did not match the run's output schema. Apart from
// core/run-output.ts because the workflow sends it, and workflows must not load the validator.

export function outputCorrectionMessage(errors: readonly string[]): string {
  const listed = errors.slice(0, 20).map((error) => `- ${error}`).join('\n');
  return `Your final answer does not match the required JSON Schema:\n${listed}\nAnswer again with only the corrected JSON.`;
}
