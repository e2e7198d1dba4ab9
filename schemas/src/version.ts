import rootPackage from '../../package.json' with { type: 'json' };

/**
 * telform's release version (the root package's), the one `telform --version`, the daemon's
 * `/status` and `terraform-provider-telform --version` report. Bundles inline it at build time.
 */
export const telformVersion: string = rootPackage.version;
