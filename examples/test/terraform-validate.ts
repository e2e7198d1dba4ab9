import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installProvider } from '../../provider/src/install/install-provider.js';

export const haveTerraform =
  spawnSync('terraform', ['version'], { env: { ...process.env, CHECKPOINT_DISABLE: '1' } })
    .status === 0;

/**
 * `terraform init` + `terraform validate` in `dir`, against the telform provider laid into a
 * throwaway filesystem mirror (no registry, no daemon: validate never configures the provider).
 * Returns validate's diagnostics as text, empty when the configuration is valid.
 */
export async function terraformValidate(dir: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'telform-validate-'));
  try {
    const installed = await installProvider({
      mirror: join(root, 'mirror'),
      cliConfig: join(root, 'cli.tfrc'),
    });
    const env = {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      TF_CLI_CONFIG_FILE: installed.cliConfig,
    };
    const run = (...args: string[]) =>
      spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8' });
    const init = run('init', '-backend=false', '-input=false', '-no-color');
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.stdout}${init.stderr}`);
    const validate = run('validate', '-no-color');
    return validate.status === 0 ? '' : `${validate.stdout}${validate.stderr}`;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
