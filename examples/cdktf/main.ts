/**
 * The partner app: `npx tsx examples/cdktf/main.ts [outdir]` writes
 * `<outdir>/stacks/partner/cdk.tf.json` (default outdir `cdktf.out`), which
 * `terraform -chdir=<outdir>/stacks/partner init && terraform apply` then applies.
 */
import { App } from 'cdktf';
import { PartnerStack } from './partner-stack.js';

const app = new App({ outdir: process.argv[2] ?? 'cdktf.out' });
new PartnerStack(app, 'partner');
app.synth();
