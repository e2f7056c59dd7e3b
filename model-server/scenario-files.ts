// Loads every `*.json` scenario in a folder (sorted by file name), failing with the file's name
// when one is not valid JSON or not a valid scenario.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseScenario, ScenarioValidationError, type Scenario } from './scenario-schema';

/** The folder of scenarios shipped with Keel (the offline demo). */
export const BUILT_IN_SCENARIO_DIR = path.join(__dirname, 'scenarios');

export async function loadScenarioFile(file: string): Promise<Scenario> {
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioValidationError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseScenario(json, file);
}

export async function loadScenarioDirectory(folder: string): Promise<Scenario[]> {
  const names = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(names.map((name) => loadScenarioFile(path.join(folder, name))));
}
