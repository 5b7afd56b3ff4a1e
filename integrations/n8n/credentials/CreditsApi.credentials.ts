import type {
  IAuthenticateGeneric,
  ICredentialTestRequest,
  ICredentialType,
  Icon,
  INodeProperties,
} from 'n8n-workflow';

/**
 * Credential for the Credits HTTP API: one workspace-scoped API key.
 * The optional webhook secret is used by the Credits Trigger node to verify signed alert events.
 */
export class CreditsApi implements ICredentialType {
  name = 'creditsApi';

  displayName = 'Credits API';

  icon: Icon = { light: 'file:../icons/credits.svg', dark: 'file:../icons/credits.dark.svg' };

  documentationUrl = 'https://github.com/credits/credits/tree/main/integrations/n8n#credentials';

  properties: INodeProperties[] = [
    {
      displayName: 'Base URL',
      name: 'baseUrl',
      type: 'string',
      default: 'http://localhost:3000',
      placeholder: 'http://localhost:3000',
      required: true,
      description: 'Where the Credits HTTP API is served, without the /v1 suffix',
    },
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      description: 'Workspace API key (created by an operator with POST /v1/workspaces/{ws}/api-keys)',
    },
    {
      displayName: 'Workspace ID',
      name: 'workspaceId',
      type: 'string',
      default: '',
      placeholder: 'acme',
      required: true,
      description: 'The workspace this key belongs to',
    },
    {
      displayName: 'Webhook Secret',
      name: 'webhookSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description:
        "Your workspace's webhook signing secret (whsec_…), shown by the Credits API when the operator created or rotated the endpoint (only needed by the Credits Trigger node). Requests whose webhook-signature does not match are rejected.",
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: {
      headers: {
        Authorization: '=Bearer {{$credentials.apiKey}}',
      },
    },
  };

  test: ICredentialTestRequest = {
    request: {
      baseURL: '={{$credentials.baseUrl}}',
      url: '=/v1/workspaces/{{$credentials.workspaceId}}/balance',
      method: 'GET',
    },
  };
}
