// Worker versioning's pure parts: the environment that makes a worker versioned (or leaves it
// unversioned), the worker options it becomes, and how a rollback picks what to undo.
import { loadConfig } from '../../../core/config';
import { EnvironmentConfigError } from '../../../core/environment-schema';
import { DEFAULT_DEPLOYMENT_NAME, planRollback } from '../../../core/worker-deployment';
import { workerDeploymentOptions } from '../../../worker/create-worker';

describe('worker deployment configuration', () => {
  it('leaves a worker unversioned, with no deployment options, when KEEL_BUILD_ID is unset', () => {
    const config = loadConfig({});
    expect(config.deployment).toBeUndefined();
    expect(workerDeploymentOptions(config.deployment)).toEqual({});
  });

  it('makes a worker with a build id a version of the named deployment (keel by default), pinning runs by default', () => {
    expect(loadConfig({ KEEL_BUILD_ID: '1.4.2' }).deployment).toEqual({ name: DEFAULT_DEPLOYMENT_NAME, buildId: '1.4.2' });
    const config = loadConfig({ KEEL_BUILD_ID: 'abc123', KEEL_DEPLOYMENT_NAME: 'keel-eu' });
    expect(workerDeploymentOptions(config.deployment)).toEqual({
      workerDeploymentOptions: { version: { deploymentName: 'keel-eu', buildId: 'abc123' }, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' },
    });
  });

  it('names a malformed build id or deployment name, and a deployment name without a build id', () => {
    const problems = (environment: Record<string, string>) => {
      try {
        loadConfig(environment);
      } catch (error) {
        if (error instanceof EnvironmentConfigError) return error.problems.map((entry) => entry.variable).sort();
        throw error;
      }
      return [];
    };
    expect(problems({ KEEL_BUILD_ID: '-starts-with-dash', KEEL_DEPLOYMENT_NAME: 'has.dot' })).toEqual(['KEEL_BUILD_ID', 'KEEL_DEPLOYMENT_NAME']);
    expect(problems({ KEEL_DEPLOYMENT_NAME: 'keel' })).toEqual(['KEEL_BUILD_ID']);
  });
});

describe('planning a rollback', () => {
  it('stops a ramp in progress first, leaving the current build as it is', () => {
    expect(planRollback({ current: 'a', ramping: { buildId: 'b', percentage: 20 } }, { buildId: null })).toEqual({ kind: 'clear-ramp', buildId: 'b' });
  });

  it('with no ramp, makes the build current before the last promotion current again', () => {
    expect(planRollback({ current: 'b', ramping: null }, { buildId: 'a' })).toEqual({ kind: 'restore-current', from: 'b', to: 'a' });
    expect(planRollback({ current: 'a', ramping: null }, { buildId: null })).toEqual({ kind: 'restore-current', from: 'a', to: null });
  });

  it('refuses when the current build was not promoted through Keel, or nothing is versioned', () => {
    expect(planRollback({ current: 'a', ramping: null }, undefined)).toMatchObject({ kind: 'nothing' });
    expect(planRollback({ current: null, ramping: null }, undefined)).toMatchObject({ kind: 'nothing' });
  });
});
