import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CreditsCredentials } from '../transport';

export type Resource = 'budget' | 'credit' | 'hold' | 'purchase' | 'transaction' | 'usage';
export type BudgetOperation = 'getAll' | 'requestRaise';
export type CreditOperation = 'debit' | 'check' | 'estimate' | 'getBalance' | 'reverse';
export type HoldOperation = 'hold' | 'capture' | 'release';
export type PurchaseOperation = 'request' | 'get';
export type TransactionOperation = 'getAll';
export type UsageOperation = 'get';
export type Operation =
  | BudgetOperation
  | CreditOperation
  | HoldOperation
  | PurchaseOperation
  | TransactionOperation
  | UsageOperation;

export type OperationResult =
  | { kind: 'ok'; json: IDataObject }
  /** Several output items for one input item (e.g. one per transaction of a list). */
  | { kind: 'many'; items: IDataObject[] }
  | { kind: 'insufficient'; message: string; details: IDataObject };

/** One operation of the node: its parameters (shown for that operation) and what it does for one item. */
export interface NodeOperation {
  description: INodeProperties[];
  execute(
    ctx: IExecuteFunctions,
    itemIndex: number,
    credentials: CreditsCredentials,
  ): Promise<OperationResult>;
}
