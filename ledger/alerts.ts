export type AlertLevel = 'low' | 'critical' | 'depleted';

export interface Thresholds {
  low: number;
  critical: number;
}

/** The spec's defaults when neither the catalog nor the workspace sets thresholds. */
export const DEFAULT_ALERT_THRESHOLDS: Readonly<Thresholds> = { low: 100, critical: 10 };

/** Absent = below the threshold without having alerted (a new, empty workspace). */
export type AlertState = Partial<Record<AlertLevel, 'armed' | 'fired'>>;

export interface AlertEventDraft {
  type: 'alert.low' | 'alert.critical' | 'alert.depleted' | 'alert.recovered';
  level: AlertLevel | null;
  threshold: number | null;
  balance: number;
  data: { recovered?: AlertLevel[]; thresholds: Thresholds };
}

/** Most severe last. A level is "crossed" while the balance is below its bound. */
function levels(
  t: Thresholds,
): { level: AlertLevel; threshold: number; crossed: (balance: number) => boolean }[] {
  return [
    { level: 'low', threshold: t.low, crossed: (b) => b < t.low },
    { level: 'critical', threshold: t.critical, crossed: (b) => b < t.critical },
    { level: 'depleted', threshold: 0, crossed: (b) => b <= 0 },
  ];
}

/**
 * The next alert state for a balance, and the events to emit. An armed level that the balance
 * falls below fires; when several fire at once only the most severe is announced (the others are
 * marked fired so they do not announce later). A fired level re-arms when the balance is back at
 * or above it, with one `recovered` event; a level that never fired re-arms silently.
 */
export function evaluateAlerts(
  state: AlertState,
  thresholds: Thresholds,
  balance: number,
): { state: AlertState; events: AlertEventDraft[] } {
  const next: AlertState = {};
  const fired: { level: AlertLevel; threshold: number }[] = [];
  const recovered: AlertLevel[] = [];
  for (const l of levels(thresholds)) {
    const was = state[l.level];
    if (l.crossed(balance)) {
      if (was === 'armed') {
        fired.push(l);
        next[l.level] = 'fired';
      } else if (was === 'fired') {
        next[l.level] = 'fired';
      }
    } else {
      next[l.level] = 'armed';
      if (was === 'fired') recovered.push(l.level);
    }
  }
  const events: AlertEventDraft[] = [];
  const worst = fired.at(-1);
  if (worst) {
    events.push({
      type: `alert.${worst.level}`,
      level: worst.level,
      threshold: worst.threshold,
      balance,
      data: { thresholds },
    });
  }
  if (recovered.length > 0) {
    events.push({
      type: 'alert.recovered',
      level: null,
      threshold: null,
      balance,
      data: { recovered, thresholds },
    });
  }
  return { state: next, events };
}

export function sameState(a: AlertState, b: AlertState): boolean {
  const keys: AlertLevel[] = ['low', 'critical', 'depleted'];
  return keys.every((k) => a[k] === b[k]);
}

/** A workspace's own thresholds (settings.alerts.thresholds) over the catalog's defaults. */
export function thresholdsFor(settings: Record<string, unknown>, defaults: Thresholds): Thresholds {
  const own = (settings.alerts as { thresholds?: Partial<Thresholds> } | undefined)?.thresholds ?? {};
  return {
    low: typeof own.low === 'number' ? own.low : defaults.low,
    critical: typeof own.critical === 'number' ? own.critical : defaults.critical,
  };
}
