/** The twelve webhook rights (modules) of the vendor's console. */
export const webhookModules = [
  'users',
  'payment',
  'interaction',
  'voice_campaign',
  'crm',
  'entry_points',
  'document_center',
  'sms_campaign',
  'cases',
  'toolbox',
  'whatsapp_campaigns',
  'exports',
] as const;

export type WebhookModule = (typeof webhookModules)[number];

/**
 * Which module an API change belongs to. Only the Users module has objects in this API; the
 * other modules' events come from `/_emulator/console/accounts/{id}/events`, which plays the
 * platform's own activity (a call ended, an export finished).
 */
export function moduleEventOf(
  kind: string,
  verb: string,
): { module: WebhookModule; trigger: string } | undefined {
  if (kind === 'user') return { module: 'users', trigger: `users.${verb}` };
  if (kind === 'seat') {
    const v =
      verb === 'created' ? 'seat_assigned' : verb === 'deleted' ? 'seat_removed' : undefined;
    return v ? { module: 'users', trigger: `users.${v}` } : undefined;
  }
  return undefined;
}
