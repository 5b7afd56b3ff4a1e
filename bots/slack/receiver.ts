import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, type LogLevel, SocketModeReceiver } from '@slack/bolt';

export interface ReceiverOptions {
  token: string;
  /** Required for the HTTP receiver (request signatures); not used in Socket Mode. */
  signingSecret?: string;
  /** When set, the app connects over Socket Mode instead of receiving HTTP requests. */
  appToken?: string;
  /** Web API base (SLACK_API_URL), e.g. a proxy or a test server; default https://slack.com/api/. */
  apiUrl?: string;
  /** Path of the events endpoint when mounted on the API server. */
  path: string;
  logLevel: LogLevel;
}

/**
 * The Bolt app on the right receiver: Socket Mode with an app token, else signed HTTP requests at
 * `path` (whose Node listener the API server mounts).
 */
export function createSlackApp(options: ReceiverOptions): { app: App; listener?: RequestListener } {
  const { logLevel } = options;
  // Fail fast (two retries) rather than the Web API client's default of ten over 30 minutes: a
  // chat answer is useless late, and the worker retries notifications itself.
  const clientOptions = { slackApiUrl: slackApiBase(options.apiUrl), retryConfig: { retries: 2 } };
  if (options.appToken) {
    // Built here rather than by App so that the Socket Mode client also honours SLACK_API_URL.
    const receiver = new SocketModeReceiver({
      appToken: options.appToken,
      logLevel,
      installerOptions: { clientOptions },
    });
    return {
      app: new App({ token: options.token, receiver, clientOptions, logLevel, convoStore: false }),
    };
  }
  if (!options.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for the Slack HTTP receiver');
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: options.path,
    processBeforeResponse: false,
    unhandledRequestTimeoutMillis: 3001,
    logLevel,
  });
  return {
    app: new App({ token: options.token, receiver, clientOptions, logLevel, convoStore: false }),
    listener: receiver.requestListener,
  };
}

export function slackApiBase(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}
