export interface AlertEventInput {
  /** alert_events.id */
  id: string;
  workspaceId: string;
  type: 'alert.low' | 'alert.critical' | 'alert.depleted' | 'alert.recovered';
  level: 'low' | 'critical' | 'depleted' | null;
  threshold: number | null;
  balance: number;
  recovered?: ('low' | 'critical' | 'depleted')[];
  createdAt: string;
}
