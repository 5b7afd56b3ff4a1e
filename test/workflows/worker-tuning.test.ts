import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { workerTuning } from '../../workflows/worker.js';

describe('worker tuning for many flows waking at once', () => {
  it('keeps sticky tasks a minute, polls with 20 pollers and has 100 workflow task slots by default', () => {
    expect(workerTuning()).toEqual({
      maxConcurrentWorkflowTaskExecutions: 100,
      workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 20 },
      stickyQueueScheduleToStartTimeout: '1 minute',
    });
  });

  it('lets every option be overridden, and leaves the poller behaviour out when polls are counted the old way', () => {
    const tuned = workerTuning({ stickyQueueScheduleToStartTimeout: '10s', maxCachedWorkflows: 500 });
    expect(tuned.stickyQueueScheduleToStartTimeout).toBe('10s');
    expect(tuned.maxCachedWorkflows).toBe(500);
    const old = workerTuning({ maxConcurrentWorkflowTaskPolls: 4 });
    expect(old.workflowTaskPollerBehavior).toBeUndefined();
    expect(old.maxConcurrentWorkflowTaskPolls).toBe(4);
  });

  it('reads WORKER_MAX_CACHED_WORKFLOWS as a whole number of at least 2, unset when blank', () => {
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '12000' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(12000);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '' }).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(loadConfig({}).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '1' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: 'lots' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
  });
});
