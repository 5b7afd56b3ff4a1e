/** The faults of the cluster run, each with the time until what it broke worked again. */
import { createHmac } from 'node:crypto';

export interface FaultEntry {
  fault: string;
  at: string;
  recoverSeconds: number;
}

export class FaultLog {
  readonly entries: FaultEntry[] = [];

  constructor(private readonly log: (line: string) => void) {}

  /** Runs `breakAndRecover` (the fault, then waiting until the broken part serves again) and times it. */
  async inject(fault: string, breakAndRecover: () => Promise<void>): Promise<void> {
    const at = Date.now();
    this.log(`fault: ${fault}`);
    await breakAndRecover();
    const recoverSeconds = Math.round((Date.now() - at) / 10) / 100;
    this.entries.push({ fault, at: new Date(at).toISOString(), recoverSeconds });
    this.log(`recovered from "${fault}" in ${recoverSeconds} s`);
  }
}

/** A `/credits <text>` slash command signed as Slack signs it (v0 HMAC-SHA256 of v0:ts:body). */
export async function slashCommand(
  botsUrl: string,
  signingSecret: string,
  text: string,
): Promise<{ ok: boolean; status: number; text: string }> {
  const body = new URLSearchParams({
    command: '/credits',
    text,
    team_id: 'T0CLUSTER',
    channel_id: 'C0CLUSTER',
    user_id: 'U0CLUSTER',
    response_url: `${botsUrl}/unused`,
    trigger_id: '1.2.3',
  }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
  const r = await fetch(`${botsUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': signature,
    },
    body,
  });
  const answer = await r.text();
  return { ok: r.status === 200 && answer.length > 0, status: r.status, text: answer.slice(0, 200) };
}
