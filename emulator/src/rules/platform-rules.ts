import { subAccountRules } from './account-rules.js';
import { audioClipRules } from './audio-clip-rules.js';
import { customizationRules } from './customization-rules.js';
import { deviceRules } from './device-rules.js';
import { domainRules } from './domain-rules.js';
import type { KindRules } from './kind-rules.js';
import { limitIncreaseRules } from './limit-increase-rules.js';
import { locationRules } from './location-rules.js';
import { playlistRules } from './playlist-rules.js';
import { provisioningRules } from './provisioning-rules.js';
import { seatRules } from './seat-rules.js';
import { ssoRules } from './sso-rules.js';
import { userRules } from './user-rules.js';

/** The rules of every kind that has more than its schema. */
export function platformRules(
  seatsPurchasedByDefault: number,
  defaultLimits: Readonly<Record<string, number>> = {},
): Record<string, KindRules> {
  return {
    sub_account: subAccountRules,
    user: userRules,
    seat: seatRules(seatsPurchasedByDefault),
    domain: domainRules,
    sso_connector: ssoRules,
    provisioning: provisioningRules,
    customization: customizationRules,
    device: deviceRules,
    audio_clip: audioClipRules,
    playlist: playlistRules,
    location: locationRules,
    limit_increase_request: limitIncreaseRules(defaultLimits),
  };
}
