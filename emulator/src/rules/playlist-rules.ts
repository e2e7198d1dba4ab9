import { errors } from '../errors/error-catalogue.js';
import type { KindRules } from './kind-rules.js';

/**
 * Playlists: the platform refuses to delete one that an account plays during distribution (the
 * admin chooses another first), as it does for a clip that hold music plays.
 */
export const playlistRules: KindRules = {
  beforeDelete(ctx, rec) {
    if (ctx.cascade) return;
    for (const chosen of ctx.repo.allOfKind('account_playlist')) {
      if (chosen.attributes.playlist_id === rec.id) {
        throw errors.conflict(
          'id',
          'in_use',
          `playlist ${rec.id} is the playlist of account ${chosen.account_id ?? ''}; choose another first`,
        );
      }
    }
  },
};
