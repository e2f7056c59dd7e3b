// `keel` (package.json bin, through bin/keel.js): the command line in cli/, which talks HTTP; and
// `keel admin bootstrap`, which writes the first platform operator key to the database itself.
import { main } from '../cli/program';
import { runAdminBootstrap } from './admin-bootstrap';

const command = process.argv[2] === 'admin' && process.argv[3] === 'bootstrap'
  ? runAdminBootstrap({ out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) })
  : main(process.argv);

command.then(
  (code) => { process.exitCode = code; },
  (error: Error) => {
    process.stderr.write(`error internal: ${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  },
);
