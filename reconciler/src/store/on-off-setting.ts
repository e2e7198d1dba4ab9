/**
 * An on/off switch read from the environment: unset, empty or `on` is on, `off` is off, and
 * anything else is refused naming the variable and the rule (a typo must not silently pick one).
 */
export function onOffSetting(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'on') return true;
  if (raw === 'off') return false;
  throw new Error(`${name}: must be on or off, not ${JSON.stringify(raw)}`);
}
