import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CreditsCredentials } from '../transport';

export type Resource = 'credit' | 'hold';
export type CreditOperation = 'debit' | 'check' | 'estimate' | 'getBalance' | 'reverse';
export type HoldOperation = 'hold' | 'capture' | 'release';
export type Operation = CreditOperation | HoldOperation;

export type OperationResult =
  | { kind: 'ok'; json: IDataObject }
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
