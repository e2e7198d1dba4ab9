import { audioFormat } from '@telform/schemas';
import { errors } from '../errors/error-catalogue.js';
import type { KindRules } from './kind-rules.js';

/**
 * Audio Clips: the platform reads the format and size from the uploaded file, and refuses to
 * delete a clip that hold music still plays or a playlist still holds (the admin picks another
 * clip first).
 */
export const audioClipRules: KindRules = {
  computed(_ctx, rec) {
    const bytes = Buffer.from(String(rec.attributes.content_base64 ?? ''), 'base64');
    return { format: audioFormat(bytes) ?? null, size_bytes: bytes.length };
  },
  beforeDelete(ctx, rec) {
    if (ctx.cascade) return;
    for (const settings of ctx.repo.allOfKind('telephony_settings')) {
      if (settings.attributes.hold_music_clip_id === rec.id) {
        throw errors.conflict(
          'id',
          'in_use',
          `audio clip ${rec.id} is the hold music of account ${settings.account_id ?? ''}; choose another clip first`,
        );
      }
    }
    for (const list of ctx.repo.allOfKind('playlist')) {
      if ((list.attributes.clip_ids as unknown[] | undefined)?.includes(rec.id)) {
        throw errors.conflict(
          'id',
          'in_use',
          `audio clip ${rec.id} is in playlist ${list.id}; take it out of the playlist first`,
        );
      }
    }
  },
};
