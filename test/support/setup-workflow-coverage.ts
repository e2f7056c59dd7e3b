// setupFilesAfterEnv of jest.coverage.config.js only: collects workflow coverage in each test file
// (test/support/workflow-coverage.ts). Plain `npm test` never loads it.
import { Worker } from '@temporalio/worker';
import { collectWorkflowCoverage, workflowCoverageDirectory } from './workflow-coverage';

const directory = workflowCoverageDirectory();
if (directory) collectWorkflowCoverage(directory, Worker);
