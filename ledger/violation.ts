/** One broken invariant found by `verify`. */
export interface Violation {
  rule: string;
  workspaceId: string;
  lotId?: string;
  entryId?: string;
  expected?: number;
  actual?: number;
  message: string;
}
