/** telform offers no provider functions. */
export function getFunctions(): object {
  return { diagnostics: [] };
}
