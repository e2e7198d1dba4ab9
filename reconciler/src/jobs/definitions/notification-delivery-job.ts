import type { NotificationDispatcher } from '../../notifications/notification-dispatcher.js';
import type { JobDefinition } from '../job-definition.js';

export interface NotificationDeliveryJobOptions {
  readonly schedule?: string;
  /** Deliveries per run at most, so one run never outlasts its slot by much. */
  readonly maxPerRun?: number;
}

/** Sends due webhook notifications from the outbox; failures wait for their backoff. */
export function notificationDeliveryJob(
  dispatcher: NotificationDispatcher,
  options: NotificationDeliveryJobOptions = {},
): JobDefinition {
  const maxPerRun = options.maxPerRun ?? 1000;
  return {
    name: 'notification-delivery',
    description: 'Delivers queued webhook notifications (signed, retried with backoff).',
    schedule: options.schedule ?? '* * * * *',
    async run() {
      const total = { delivered: 0, retrying: 0, dead: 0 };
      while (total.delivered + total.retrying + total.dead < maxPerRun) {
        const round = await dispatcher.deliverDue(Math.min(50, maxPerRun));
        total.delivered += round.delivered;
        total.retrying += round.retrying;
        total.dead += round.dead;
        if (round.delivered + round.retrying + round.dead === 0) break;
      }
      return total;
    },
  };
}
