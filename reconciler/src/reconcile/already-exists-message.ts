/**
 * What a create refused because the object already exists on the platform says: the platform's
 * own words, where the existing object is, and the exact import command and import block that
 * adopt it instead. The Terraform name is not known to the daemon (the plugin protocol never
 * sends it), so it is written `<name>`: the resource's name in the configuration.
 */
export function alreadyExistsMessage(
  kind: string,
  existing: { readonly accountExternalId: string | null; readonly externalId: string },
  platformMessage: string,
): string {
  const ref =
    existing.accountExternalId === null
      ? `platform:${existing.externalId}`
      : `platform:${existing.accountExternalId}/${existing.externalId}`;
  const address = `telform_${kind}.<name>`;
  return [
    `${platformMessage}. This ${kind} already exists on the platform as ${ref}: adopt it instead of creating another.`,
    `Run: terraform import ${address} ${ref}`,
    `or add: import { to = ${address}, id = "${ref}" }`,
    `(with <name> this resource's name), or: telform adopt ${ref} --kind ${kind}.`,
  ].join(' ');
}
