// Commands whose name is assembled at run time (`$cmd -rf /`, `$(echo rm) …`): what runs cannot
// be known before it runs. Names built from literal variables set earlier are resolved instead.
import { finding } from '../validation-result';
import type { CommandRule } from './rule-context';

export const runTimeCommandRule: CommandRule = (command) => {
  const word = command.programWord;
  if (!word?.dynamic) return [];
  return [finding('shell.run-time-command', 'medium', `the command name ${word.text} is only known at run time; write the command literally`)];
};
