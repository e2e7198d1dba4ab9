import type { KindRules } from './kind-rules.js';

/** SSO (SAML 2.0, SP-initiated): the platform generates the SP initiation and ACS URLs. */
export const ssoRules: KindRules = {
  computed(ctx, rec) {
    const name = encodeURIComponent(String(rec.attributes.name));
    return {
      sp_initiation_url: `${ctx.publicUrl}/login/saml/${name}/`,
      acs_url: `${ctx.publicUrl}/login/saml/${name}/acs`,
    };
  },
};
