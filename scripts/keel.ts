// `keel` (package.json bin, through bin/keel.js): the command line in cli/.
import { main } from '../cli/program';

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (error: Error) => {
    process.stderr.write(`error internal: ${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  },
);
