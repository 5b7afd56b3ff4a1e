import type {
  IDataObject,
  INodeType,
  INodeTypeDescription,
  IWebhookFunctions,
  IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature';

/** Event ids already delivered to the workflow, kept to drop the notifier's retries of the same event. */
const SEEN_EVENTS_KEPT = 500;

/** Event types of WEBHOOK_CONTRACT.md. */
export const EVENT_TYPES = [
  { name: 'Balance Low', value: 'alert.low', description: 'The balance fell below the low threshold' },
  {
    name: 'Balance Critical',
    value: 'alert.critical',
    description: 'The balance fell below the critical threshold',
  },
  { name: 'Balance Depleted', value: 'alert.depleted', description: 'The balance reached zero' },
  {
    name: 'Balance Recovered',
    value: 'alert.recovered',
    description: 'The balance rose back above thresholds that had fired (purchase, renewal)',
  },
  {
    name: 'Budget Threshold',
    value: 'budget.threshold',
    description: 'A budget reached 80 % or 100 % of its limit for the period (once each a period)',
  },
  { name: 'Credits Expiring', value: 'credits.expiring', description: 'Credits of a lot expire soon' },
  {
    name: 'Purchase Approved',
    value: 'purchase.approved',
    description: 'An approver (or the budget) approved a purchase',
  },
  {
    name: 'Purchase Completed',
    value: 'purchase.completed',
    description: 'A purchase was paid and its credits granted',
  },
  { name: 'Purchase Expired', value: 'purchase.expired', description: 'Nobody approved a purchase in time' },
  {
    name: 'Purchase Failed',
    value: 'purchase.failed',
    description: 'Payment of an approved purchase failed',
  },
  { name: 'Purchase Rejected', value: 'purchase.rejected', description: 'An approver rejected a purchase' },
];

// Endpoints are the operator's to set (PUT /v1/workspaces/{ws}/webhook needs the operator key, which a
// workspace's credential does not hold): the operator points the workspace's endpoint at this node's URL
// (see WEBHOOK_CONTRACT.md), like n8n's generic Webhook node. So there is nothing for checkExists /
// create / delete to call.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class CreditsTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Credits Trigger',
    name: 'creditsTrigger',
    icon: { light: 'file:credits.svg', dark: 'file:credits.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: '={{$parameter["events"].join(", ")}}',
    description: 'Starts the workflow on Credits alerts (low balance, depleted, …) and purchase events',
    defaults: {
      name: 'Credits Trigger',
    },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [
      {
        name: 'creditsApi',
        required: true,
      },
    ],
    webhooks: [
      {
        name: 'default',
        httpMethod: 'POST',
        responseMode: 'onReceived',
        path: 'credits',
      },
    ],
    properties: [
      {
        displayName:
          "Ask the Credits operator to point your workspace's webhook at this node's URL (PUT /v1/workspaces/{ws}/webhook) and put the secret it shows (whsec_…) in the credential. Requests must carry a valid Standard Webhooks signature for the credential's workspace.",
        name: 'notice',
        type: 'notice',
        default: '',
      },
      {
        displayName: 'Events',
        name: 'events',
        type: 'multiOptions',
        required: true,
        default: ['alert.low', 'alert.critical', 'alert.depleted'],
        options: [{ name: 'All Events', value: '*', description: 'Every event type' }, ...EVENT_TYPES],
        description: 'Which events start the workflow; others are acknowledged and ignored',
      },
      {
        displayName: 'Options',
        name: 'options',
        type: 'collection',
        placeholder: 'Add option',
        default: {},
        options: [
          {
            displayName: 'Max Age (Seconds)',
            name: 'toleranceSeconds',
            type: 'number',
            default: 300,
            typeOptions: { minValue: 1 },
            description: 'Requests signed longer ago than this are refused as replays',
          },
        ],
      },
    ],
  };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    const req = this.getRequestObject();
    const res = this.getResponseObject();
    const headers = this.getHeaderData();
    const credentials = await this.getCredentials('creditsApi');
    const options = this.getNodeParameter('options', {}) as IDataObject;
    const events = (this.getNodeParameter('events', []) as string[]) ?? [];

    const raw = (req as unknown as { rawBody?: Buffer | string }).rawBody;
    const rawBody = raw !== undefined && raw !== null ? raw : JSON.stringify(this.getBodyData());

    const verdict = verifySignature({
      secret: String(credentials.webhookSecret ?? ''),
      rawBody,
      id: headers[ID_HEADER],
      timestamp: headers[TIMESTAMP_HEADER],
      signature: headers[SIGNATURE_HEADER],
      now: Math.floor(Date.now() / 1000),
      toleranceSeconds: Number(options.toleranceSeconds ?? 300),
    });
    if (!verdict.ok) {
      res.status(401).json({ error: { code: 'invalid_signature', message: verdict.reason } });
      return { noWebhookResponse: true };
    }

    let event: IDataObject;
    try {
      event = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8')) as IDataObject;
    } catch {
      res.status(400).json({ error: { code: 'invalid_request', message: 'body is not JSON' } });
      return { noWebhookResponse: true };
    }
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string') {
      res
        .status(400)
        .json({ error: { code: 'invalid_request', message: 'body must be an event with a "type"' } });
      return { noWebhookResponse: true };
    }

    // Each workspace has its own secret, so a valid signature already names the workspace; an event
    // about another one means the credential pairs one workspace's secret with another's id.
    if (event.workspaceId !== credentials.workspaceId) {
      res.status(403).json({
        error: {
          code: 'forbidden',
          message: `event for workspace ${JSON.stringify(event.workspaceId)}; this trigger's credential is for ${JSON.stringify(credentials.workspaceId)}`,
        },
      });
      return { noWebhookResponse: true };
    }

    const ignore = (reason: string): IWebhookResponseData => {
      res.status(200).json({ received: true, ignored: reason });
      return { noWebhookResponse: true };
    };
    if (!events.includes('*') && !events.includes(event.type)) return ignore('event type not selected');
    // webhook-id is signed and stable across the sender's retries (it equals the event's id).
    const eventId = String(headers[ID_HEADER]).trim();
    const staticData = this.getWorkflowStaticData('node');
    const seen = Array.isArray(staticData.seenEventIds) ? (staticData.seenEventIds as string[]) : [];
    if (seen.includes(eventId)) return ignore('duplicate event');
    seen.push(eventId);
    staticData.seenEventIds = seen.slice(-SEEN_EVENTS_KEPT);

    // Answer here rather than through `webhookResponse`, so the sender always gets the same JSON shape.
    res.status(200).json({ received: true });
    return {
      noWebhookResponse: true,
      workflowData: [this.helpers.returnJsonArray([event])],
    };
  }
}
