import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { OUTPUTS_EXPRESSION, properties } from './actions/description';
import { router } from './actions/router';
import { getCatalogOperations, getCatalogPackages } from './methods/loadOptions';

/**
 * The Credits node. Each operation (its parameters and what it does) is a file under
 * actions/<resource>/, dispatched by actions/router.ts; requests go through transport/.
 */
export class Credits implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Credits',
    name: 'credits',
    icon: { light: 'file:credits.svg', dark: 'file:credits.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["operation"]}}',
    description:
      'Debit, check, estimate, hold and reverse credits, request purchases, and read transactions and usage in a Credits workspace',
    defaults: {
      name: 'Credits',
    },
    inputs: [NodeConnectionTypes.Main],
    outputs: OUTPUTS_EXPRESSION,
    usableAsTool: true,
    credentials: [
      {
        name: 'creditsApi',
        required: true,
      },
    ],
    properties,
  };

  methods = {
    loadOptions: { getCatalogOperations, getCatalogPackages },
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
