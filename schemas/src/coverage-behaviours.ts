/**
 * The small table behind docs/coverage.md: every item of the five vendor documents
 * (/work/shared/vendor-docs, summed up in DESIGN.md section 3) with what covers it and the test
 * that proves it. `covers` entries are `kind` or `kind.attribute` (checked against the schemas
 * by the generator), or a route or job in backticks (`POST /v1/...`). An item left out says why.
 */
export interface CoverageItem {
  readonly item: string;
  readonly covers: readonly string[];
  readonly tests: readonly string[];
  /** Why the project deliberately leaves the item out (then `covers` may be empty). */
  readonly leftOut?: string;
}

export interface VendorDocument {
  readonly file: string;
  readonly title: string;
  readonly items: readonly CoverageItem[];
}

const emu = (name: string) => `emulator/test/${name}.test.ts`;
const tf = (name: string) => `provider/test/${name}.test.ts`;
const rec = (name: string) => `reconciler/test/${name}.test.ts`;

export const vendorDocuments: readonly VendorDocument[] = [
  {
    file: '000_6208cdf329a84244.txt',
    title: 'Client account settings (contact center)',
    items: [
      {
        item: 'Country and language (account default)',
        covers: ['account.country', 'account.language'],
        tests: [tf('vendor-settings-terraform'), emu('user-connection-and-e911')],
      },
      {
        item: 'Country and language in My Account override the account; what applies to a user',
        covers: [
          'user.country',
          'user.language',
          'user.effective_country',
          'user.effective_language',
        ],
        tests: [emu('user-connection-and-e911'), tf('generated-values-terraform')],
      },
      {
        item: 'Playlist (a queue or smart routing playlist overrides it)',
        covers: [
          'playlist',
          'playlist.clip_ids',
          'account_playlist',
          'account_playlist.playlist_id',
        ],
        tests: [emu('playlists'), tf('playlists-terraform')],
        leftOut:
          'queues and smart routing (which override the account playlist) are not among these settings, so only the account playlist is modelled',
      },
      {
        item: 'Time zone (My Account overrides it)',
        covers: ['account.time_zone', 'user.time_zone', 'user.effective_time_zone'],
        tests: [tf('vendor-settings-terraform'), emu('user-connection-and-e911')],
      },
      {
        item: 'Logo: under 2 MB, png/jpeg/jpg/gif, file name characters; bytes checked',
        covers: ['account.logo'],
        tests: [emu('vendor-validation'), tf('vendor-behaviours-terraform')],
      },
      {
        item: 'Password expiration (yes/no and days)',
        covers: ['account.password_expiration'],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Supervision on/off',
        covers: ['account.supervision_enabled'],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Head of line default number',
        covers: ['account.head_of_line_number'],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Original number presentation on transfers',
        covers: ['account.original_number_presentation'],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'National trunk with region code',
        covers: ['account.national_trunk'],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Data retention per kind: unlimited or 1-365 days',
        covers: [
          'data_retention.recordings',
          'data_retention.voice_mailbox',
          'data_retention.personal_voicemail',
          'data_retention.ivr_recorder',
        ],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'SMS settings: provider URL, authentication with login and password',
        covers: ['sms_settings.provider_url', 'sms_settings.authentication'],
        tests: [
          emu('vendor-settings'),
          emu('accounts-and-auth'),
          tf('vendor-settings-terraform'),
          rec('security/secrets-never-leak'),
        ],
      },
      {
        item: 'SSO connectors',
        covers: ['sso_connector'],
        tests: [
          emu('provisioning-and-telephony'),
          emu('vendor-settings'),
          tf('vendor-settings-terraform'),
        ],
      },
      {
        item: 'Deletion history: date, user or System, entity, count; search and date filters',
        covers: [
          'deletion_history.since',
          'deletion_history.until',
          'deletion_history.search',
          'deletion_history.entries',
        ],
        tests: [
          emu('history'),
          emu('history-filters'),
          rec('api/platform-data-histories'),
          rec('reconcile/reconcile-actor'),
        ],
      },
      { item: 'Limits (read-only)', covers: ['limits'], tests: [emu('domain-and-limit-rules')] },
      {
        item: 'Request a limit increase',
        covers: [
          'limit_increase_request',
          'limit_increase_request.status',
          '`POST /_emulator/console/accounts/{account}/limit_increase_requests/{id}/decision`',
          '`telform limits request`',
        ],
        tests: [
          rec('cli/limits-command'),
          emu('blacklist-and-limit-requests'),
          tf('generated-values-terraform'),
        ],
      },
      {
        item: 'Domain names for chat modules',
        covers: ['domain.kind'],
        tests: [emu('domain-and-limit-rules')],
      },
      {
        item: 'Email address domains: only vendor staff add them; clients view and delete',
        covers: ['domain.kind'],
        tests: [emu('domain-and-limit-rules'), tf('import-platform-ref')],
      },
      {
        item: 'Email address domain clicked: users who blacklisted it or an address, source manual or automatic',
        covers: ['email_blacklist.entries'],
        tests: [emu('blacklist-and-limit-requests'), tf('generated-values-terraform')],
      },
      {
        item: 'Allowed user domain names',
        covers: ['domain.kind'],
        tests: [emu('domain-and-limit-rules')],
      },
      {
        item: 'Webhooks: enable, URL, authentication',
        covers: ['webhook.enabled', 'webhook.url', 'webhook.authentication'],
        tests: [emu('webhooks')],
      },
      {
        item: 'Webhooks: test the connection',
        covers: ['`POST /v1/resources/webhook/{id}/test`', '`telform webhook test`'],
        tests: [
          emu('history-filters'),
          rec('api/platform-data-histories'),
          rec('cli/webhook-command'),
        ],
      },
      {
        item: 'Webhook history (three months): date, trigger, URL, authentication, HTTP code; Enter, Expand, Retry',
        covers: [
          'webhook_history.webhook_id',
          'webhook_history.since',
          'webhook_history.until',
          'webhook_history.search',
          'webhook_history.entries',
          '`POST /v1/accounts/{account}/webhook-history/{delivery}/retry`',
          '`telform webhook retry`',
        ],
        tests: [
          emu('webhooks'),
          emu('history-filters'),
          rec('api/platform-data-histories'),
          rec('cli/webhook-command'),
          tf('platform-feeds-terraform'),
        ],
      },
      {
        item: 'Webhook documentation',
        covers: [],
        tests: [],
        leftOut: "the vendor's own documentation page; nothing to configure",
      },
      {
        item: 'Webhook rights per module (users ... exports), a closed set',
        covers: ['webhook.rights'],
        tests: [emu('webhooks'), tf('vendor-behaviours-terraform')],
      },
    ],
  },
  {
    file: '001_42a7216714630f6a.txt',
    title: 'Call settings per user (UCaaS admin portal)',
    items: [
      {
        item: 'Incoming calls: per client / enabled / disabled',
        covers: ['user.incoming_calls'],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Permission "configure incoming calls"',
        covers: ['user.incoming_calls.user_can_configure'],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Outgoing calls with a call method (only when enabled)',
        covers: ['user.outgoing_calls', 'user.outgoing_calls.call_method'],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Permission "configure outgoing calls"',
        covers: ['user.outgoing_calls.user_can_configure'],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: "End users' own app settings",
        covers: [],
        tests: [],
        leftOut:
          'set by each user in the app, not account settings; the admin side (the permissions) is covered',
      },
    ],
  },
  {
    file: '002_53b1aac6a4ebfbfb.txt',
    title: 'Account settings (CPaaS with sub-accounts)',
    items: [
      {
        item: 'Seats: purchased, assigned, remaining',
        covers: ['seat', 'seat_usage.purchased', 'seat_usage.assigned', 'seat_usage.remaining'],
        tests: [emu('seat-rules')],
      },
      {
        item: 'Seat limits per sub-account (no assignment past the limit)',
        covers: ['sub_account.seat_limit'],
        tests: [emu('seat-rules')],
      },
      {
        item: 'Warnings at 85% (up to 50), 95% (51-100), 97% (over 100)',
        covers: ['seat_usage.warning_threshold_percent', 'seat_usage.warning_active'],
        tests: [emu('seat-rules')],
      },
      {
        item: 'Inactive users with seats (no login for over 3 months, or no role)',
        covers: ['seat_usage.inactive_users_with_seats'],
        tests: [emu('seat-rules'), emu('history-filters')],
      },
      {
        item: 'Seat logs: who, event, impacted user, account, date; filters',
        covers: [
          'seat_log.since',
          'seat_log.until',
          'seat_log.search',
          'seat_log.filter_account_id',
          'seat_log.entries',
        ],
        tests: [
          emu('history'),
          emu('history-filters'),
          rec('api/platform-data-histories'),
          rec('reconcile/reconcile-actor'),
        ],
      },
      {
        item: 'Notification subscriptions: low balance, account balance, campaign events',
        covers: [
          'notification_subscription.event',
          'notification_subscription.threshold',
          'notification_subscription.enabled',
        ],
        tests: [emu('vendor-settings'), emu('notifications-feed'), tf('platform-feeds-terraform')],
      },
      {
        item: 'Notifications feed: type (the event subscribed to) and creation time; per sub-account',
        covers: [
          'notifications.event',
          'notifications.since',
          'notifications.until',
          'notifications.entries',
          '`GET /v1/accounts/{account}/notifications`',
          '`telform notifications list`',
        ],
        tests: [
          emu('notifications-feed'),
          rec('api/platform-data-notifications'),
          tf('platform-feeds-terraform'),
        ],
      },
      {
        item: 'SSO over SAML 2.0, SP-initiated: SP entity ID, IdP certificate, login and logout URLs',
        covers: [
          'sso_connector.sp_entity_id',
          'sso_connector.idp_signature_certificate',
          'sso_connector.idp_login_url',
          'sso_connector.idp_logout_url',
        ],
        tests: [
          emu('provisioning-and-telephony'),
          emu('vendor-settings'),
          tf('vendor-settings-terraform'),
        ],
      },
      {
        item: 'SP initiation URL and ACS URL are generated',
        covers: ['sso_connector.sp_initiation_url', 'sso_connector.acs_url'],
        tests: [
          emu('provisioning-and-telephony'),
          emu('vendor-settings'),
          tf('vendor-settings-terraform'),
        ],
      },
      {
        item: 'Auto-create users and groups; NameID must be an email',
        covers: [
          'sso_connector.auto_create_users',
          'sso_connector.auto_create_groups',
          'sso_connector.name_id_format',
        ],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Two-factor authentication for all users',
        covers: ['security_policy.two_factor_required'],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Maximum user inactivity 15-365 days; login attempts; password validity',
        covers: [
          'security_policy.max_user_inactivity_days',
          'security_policy.max_login_attempts',
          'security_policy.password_validity_days',
        ],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Audit log of user activity with status',
        covers: ['`GET /v1/audit`', '`GET /v1/accounts/{account}/activity`'],
        tests: [rec('audit/audit-routes'), emu('console-and-history')],
      },
      {
        item: 'Sub-accounts: list, edit, enable/disable',
        covers: ['sub_account.enabled'],
        tests: [emu('accounts-and-auth')],
      },
      {
        item: 'Customization: hostname, theme, language, logo at most 150x150 px and 5 MB; changes by delete and recreate',
        covers: [
          'customization.hostname',
          'customization.theme',
          'customization.language',
          'customization.logo',
        ],
        tests: [emu('provisioning-and-telephony'), emu('vendor-validation')],
      },
    ],
  },
  {
    file: '003_7e348b8038a103ba.txt',
    title: 'User settings (outbound dialer)',
    items: [
      {
        item: 'User: name, login, email, display name, manual call number, password, CRM post URL',
        covers: [
          'user.name',
          'user.login',
          'user.email',
          'user.display_name',
          'user.manual_call_number',
          'user.password',
          'user.crm_post_url',
        ],
        tests: [
          emu('vendor-settings'),
          tf('vendor-settings-terraform'),
          rec('security/secrets-never-leak'),
        ],
      },
      {
        item: 'Privileges, a closed set (misspelt keys fail at plan)',
        covers: ['user.privileges'],
        tests: [tf('vendor-behaviours-terraform')],
      },
      {
        item: 'Tabs, a closed set',
        covers: ['user.tabs'],
        tests: [tf('vendor-behaviours-terraform')],
      },
      {
        item: 'Transfer caller-ID type',
        covers: ['user.transfer_caller_id'],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Connection method (an extension for all but webphone)',
        covers: ['user.connection_method'],
        tests: [emu('vendor-settings'), emu('device-and-extension-rules')],
      },
      {
        item: 'Dial-in: identification number and PIN generated by the platform',
        covers: ['user.dial_in_id', 'user.dial_in_pin'],
        tests: [
          emu('user-connection-and-e911'),
          tf('generated-values-terraform'),
          rec('security/secrets-never-leak'),
        ],
      },
      {
        item: 'SIP phone: the credentials the device needs',
        covers: ['user.sip_username', 'user.sip_password', 'user.sip_registrar'],
        tests: [
          emu('user-connection-and-e911'),
          tf('generated-values-terraform'),
          rec('security/secrets-never-leak'),
        ],
      },
      { item: 'Delete user is permanent', covers: ['user'], tests: [emu('history')] },
      {
        item: 'Recent calls, sales pitches, phone book, recordings, sound files, email templates',
        covers: [],
        tests: [],
        leftOut: 'call data and content, not account settings',
      },
    ],
  },
  {
    file: '004_23bb6548b212898e.txt',
    title: 'Account settings (hosted PBX)',
    items: [
      {
        item: 'General: name, email, time zone, billing address',
        covers: ['account.name', 'account.email', 'account.time_zone', 'account.billing_address'],
        tests: [tf('terraform-cli'), emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Extension length, default outbound number',
        covers: [
          'telephony_settings.extension_length',
          'telephony_settings.default_outbound_number',
        ],
        tests: [
          emu('device-and-extension-rules'),
          emu('vendor-settings'),
          tf('vendor-settings-terraform'),
        ],
      },
      {
        item: 'Hold music: an uploaded audio clip',
        covers: ['audio_clip', 'telephony_settings.hold_music_clip_id'],
        tests: [tf('vendor-behaviours-terraform')],
      },
      {
        item: 'Transcription and recording toggles, parking timeout',
        covers: [
          'telephony_settings.transcription_enabled',
          'telephony_settings.recording_enabled',
          'telephony_settings.parking_timeout_seconds',
        ],
        tests: [emu('vendor-settings'), tf('vendor-settings-terraform')],
      },
      {
        item: 'Fax limits per rolling hour (faxes past the limit are rejected)',
        covers: [
          'telephony_settings.inbound_fax_limit_per_hour',
          'telephony_settings.outbound_fax_limit_per_hour',
          '`POST /v1/accounts/{account}/faxes`',
        ],
        tests: [
          emu('provisioning-and-telephony'),
          emu('vendor-settings'),
          tf('vendor-settings-terraform'),
        ],
      },
      {
        item: 'Locations with an E911 address the carrier validates',
        covers: [
          'location.e911_address',
          'location.e911_validated',
          'location.e911_validation_reason',
        ],
        tests: [emu('user-connection-and-e911'), tf('generated-values-terraform')],
      },
      {
        item: 'Emergency notification recipients, account and location (both notified)',
        covers: [
          'account.emergency_notification_recipients',
          'location.emergency_notification_recipients',
        ],
        tests: [emu('provisioning-and-telephony')],
      },
      {
        item: 'Button templates bound to devices',
        covers: ['button_template', 'device.button_template_id'],
        tests: [emu('device-and-extension-rules')],
      },
      {
        item: 'Provisioning token, URL, phone admin password; rotating invalidates the previous token',
        covers: [
          'provisioning.token',
          'provisioning.provisioning_url',
          'provisioning.phone_admin_password',
          'provisioning.rotate_trigger',
        ],
        tests: [emu('provisioning-and-telephony'), rec('security/secrets-never-leak')],
      },
      {
        item: 'Activity: time, event, resource, actor, outcome, IP; per-column filters; copy as JSON',
        covers: ['`GET /v1/accounts/{account}/activity`', '`GET /v1/audit`'],
        tests: [emu('console-and-history'), rec('audit/audit-routes')],
      },
    ],
  },
];
