import type { ObjectRecord } from '../model/records.js';
import type { RuleContext } from './kind-rules.js';

/** Removes the seat of a user being deleted, logging it as a seat removal. */
export function deleteSeatsOf(ctx: RuleContext, user: ObjectRecord): void {
  if (user.account_id === null) return;
  for (const seat of [...ctx.repo.list(user.account_id, 'seat')]) {
    if (seat.attributes.user_id !== user.id) continue;
    ctx.seatLog.add(seat.account_id!, ctx.now, {
      done_by: 'System',
      event: 'seat_removed',
      impacted_user_id: user.id,
    });
    ctx.repo.remove(seat.id);
  }
}
