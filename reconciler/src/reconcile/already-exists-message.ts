/**
 * What a create refused because the object already exists on the platform says: the platform's
 * own words, where the existing object is, and the exact import command and import block that
 * adopt it instead, each on lines of its own so it can be copied as printed. The Terraform name
 * is not known to the daemon (the plugin protocol never sends it), so the address is written
 * `telform_<kind>.<name>`, the placeholder explained on the last line; the command quotes the
 * address, so a shell takes `<name>` as text, never as a redirection. The last line is prose:
 * whoever shows the message may end it with a full stop without breaking what it quotes.
 */
export function alreadyExistsMessage(
  kind: string,
  existing: { readonly accountExternalId: string | null; readonly externalId: string },
  platformMessage: string,
): string {
  // As import by platform reference reads it (adopt/platform-ref.ts, a layer beside this one):
  // a root account by its own id alone, anything else by its account and its own id.
  const ref =
    existing.accountExternalId === null
      ? `platform:${existing.externalId}`
      : `platform:${existing.accountExternalId}/${existing.externalId}`;
  const address = `telform_${kind}.<name>`;
  return [
    `${platformMessage}. This ${kind} already exists on the platform as ${ref}: adopt it instead of creating another. Run`,
    `  terraform import '${address}' ${ref}`,
    'or add this block to the configuration and apply:',
    'import {',
    `  to = ${address}`,
    `  id = "${ref}"`,
    '}',
    `or, without Terraform: telform adopt ${ref} --kind ${kind}`,
    `where <name> stands for this resource's name in the configuration (the second label of its resource block)`,
  ].join('\n');
}
