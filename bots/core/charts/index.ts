import { buildUsageChart, type UsageChartBy, type UsageChartDeps } from '../../../application/usage-chart.js';
import type { Burn } from '../burn.js';
import type { AnswerFile } from '../types.js';
import { renderUsageChart } from './usage-chart.js';

export { USAGE_CHART_NAME } from './usage-chart.js';

export interface ChartDeps extends UsageChartDeps {
  burn(workspaceId: string, now: Date): Promise<Burn>;
  log?: (message: string, error?: unknown) => void;
}

/**
 * The usage chart of a workspace as an answer's file: the data from application/usage-chart.ts
 * at the workspace's burn rate, drawn by ./usage-chart.ts. Null (and logged) when drawing fails, so
 * the text of the answer still goes out.
 */
export async function usageChartFile(
  deps: ChartDeps,
  workspace: { id: string; name: string },
  now: Date,
  by: UsageChartBy = 'operation',
): Promise<AnswerFile | null> {
  try {
    const burn = await deps.burn(workspace.id, now);
    const data = await buildUsageChart(deps, workspace.id, { now, perDay: burn.perDay, by });
    const chart = renderUsageChart(data, workspace.name);
    return { name: chart.name, png: chart.png, width: chart.width, height: chart.height, alt: chart.alt };
  } catch (error) {
    (deps.log ?? console.error)(`usage chart of ${workspace.id} failed`, error);
    return null;
  }
}
