import type { INodeProperties } from 'n8n-workflow';
import { asItemJson, creditsApiRequest, isSuccess, type RequestBody, throwApiError } from '../../transport';
import { shownFor } from '../common.description';
import { positiveInteger, requiredString } from '../parameters';
import type { NodeOperation } from '../types';

const description: INodeProperties[] = [
  shownFor(
    ['requestRaise'],
    {
      displayName: 'Budget ID',
      name: 'budgetId',
      type: 'string',
      default: '',
      required: true,
      placeholder: '={{ $json.insufficientCredits.budgetId }}',
      description:
        'The budget to raise: on the second output of a Debit or Hold refused with budget_exceeded it is `insufficientCredits.budgetId`',
    },
    { resource: ['budget'] },
  ),
  shownFor(
    ['requestRaise'],
    {
      displayName: 'Amount',
      name: 'amount',
      type: 'number',
      default: 100,
      required: true,
      typeOptions: { minValue: 1, numberPrecision: 0 },
      description: 'How many more credits to allow until the budget period ends',
    },
    { resource: ['budget'] },
  ),
  shownFor(
    ['requestRaise'],
    {
      displayName: 'Reason',
      name: 'reason',
      type: 'string',
      default: '',
      required: true,
      placeholder: 'Launch week: the blog automation posts twice as much',
      description: 'Why: the owners and admins see it on the approval message',
    },
    { resource: ['budget'] },
  ),
];

/**
 * Budget → Request Raise: asks the owners and admins for more of a budget this period
 * (`POST /v1/budgets/{id}/raises`); only a budget that applies to this key can be raised.
 */
export const requestRaise: NodeOperation = {
  description,
  async execute(ctx, itemIndex) {
    const id = requiredString(ctx, 'budgetId', 'Budget ID', itemIndex);
    const body: RequestBody<'createBudgetRaise'> = {
      amount: positiveInteger(ctx, ctx.getNodeParameter('amount', itemIndex), 'Amount', itemIndex),
      reason: requiredString(ctx, 'reason', 'Reason', itemIndex),
    };
    const response = await creditsApiRequest(
      ctx,
      'createBudgetRaise',
      'POST',
      `/v1/budgets/${encodeURIComponent(id)}/raises`,
      body,
    );
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    return { kind: 'ok', json: asItemJson(response.body) };
  },
};
