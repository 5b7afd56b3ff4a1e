import type { Catalog } from '../../ledger/catalog/schema.js';

/** Option types of Discord application commands (discord-api-types ApplicationCommandOptionType). */
const SUB_COMMAND = 1;
const STRING = 3;
const INTEGER = 4;

/**
 * The `/credits` command with its subcommands, in the JSON shape of
 * PUT /applications/{application.id}/commands. Package choices come from the catalog.
 */
export function creditsCommand(catalog: Catalog) {
  return {
    name: 'credits',
    description: 'Credits: balance, estimates, history, usage, purchases and alerts',
    type: 1,
    dm_permission: false,
    options: [
      {
        type: SUB_COMMAND,
        name: 'balance',
        description: 'Total, by type, what expires when, renewal and runway',
      },
      {
        type: SUB_COMMAND,
        name: 'ask',
        description: 'Ask a question, e.g. "when do our monthly credits reset?"',
        options: [
          { type: STRING, name: 'question', description: 'Your question', required: true, max_length: 500 },
        ],
      },
      {
        type: SUB_COMMAND,
        name: 'estimate',
        description: 'What would it cost? e.g. "3 veo 3.1 videos and 20 flux 2 dev images"',
        options: [
          {
            type: STRING,
            name: 'items',
            description: 'Items or a campaign',
            required: true,
            max_length: 500,
          },
        ],
      },
      {
        type: SUB_COMMAND,
        name: 'history',
        description: 'Latest ledger entries',
        options: [
          {
            type: STRING,
            name: 'operation',
            description: 'Only this operation, e.g. images',
            required: false,
          },
        ],
      },
      {
        type: SUB_COMMAND,
        name: 'usage',
        description: 'Credits used in the last 30 days by member and operation, with a chart',
        options: [
          {
            type: STRING,
            name: 'by',
            description: 'Stack the chart by operation (default) or by member',
            required: false,
            choices: [
              { name: 'operation', value: 'operation' },
              { name: 'member', value: 'member' },
            ],
          },
        ],
      },
      {
        type: SUB_COMMAND,
        name: 'buy',
        description: 'Request a credit package (an owner or admin approves)',
        options: [
          {
            type: STRING,
            name: 'package',
            description: 'Package',
            required: true,
            choices: catalog.packages.slice(0, 25).map((p) => ({
              name: `${p.name} — ${p.credits.toLocaleString('en-US')} credits`,
              value: p.key,
            })),
          },
        ],
      },
      {
        type: SUB_COMMAND,
        name: 'alerts',
        description: 'Show alert thresholds, or set them (owners and admins)',
        options: [
          { type: INTEGER, name: 'low', description: 'Low-balance threshold', required: false, min_value: 1 },
          {
            type: INTEGER,
            name: 'critical',
            description: 'Critical threshold',
            required: false,
            min_value: 1,
          },
        ],
      },
      { type: SUB_COMMAND, name: 'help', description: 'What I can answer' },
    ],
  };
}
