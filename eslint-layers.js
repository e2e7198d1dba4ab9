// The layers of the repository, lowest first, and the import rule that keeps them: a room may
// import rooms of lower layers only (not its own layer's siblings, not anything above). The
// picture and the reasons are in docs/architecture.md ("Layers"); eslint.config.js applies it
// and reconciler/test/lint/layer-rule.test.ts shows it failing on a forbidden import.

/** Rooms of reconciler/src, lowest layer first. A name ending in `.ts` is a top-level file. */
export const reconcilerLayers = [
  // The log contract every part writes through (pino behind it, wired in services.ts).
  ['log'],
  ['secrets', 'driver'],
  ['store'],
  ['audit', 'notifications', 'auth'],
  ['drift'],
  ['reconcile', 'resources', 'adopt', 'rekey'],
  // Export from the platform writes what adoption reads (platform references, adopted specs).
  ['export'],
  ['jobs'],
  ['metrics'],
  ['api'],
  ['open-platform.ts', 'first-admin-token.ts', 'operations-services.ts'],
  ['services.ts'],
  ['daemon.ts'],
  ['cli', 'index.ts'],
];

/** Packages that must not reach into others' sources: they talk over HTTP or a package API. */
const packageRules = [
  { target: './schemas/src', from: ['./emulator/src', './reconciler/src', './provider/src'] },
  { target: './emulator/src', from: ['./reconciler/src', './provider/src'] },
  { target: './provider/src', from: ['./reconciler/src', './emulator/src'] },
];

const path = (room) => `./reconciler/src/${room}`;

/** Zones for eslint-plugin-import-x's `no-restricted-paths`. */
export function layerZones() {
  const zones = [];
  reconcilerLayers.forEach((layer, i) => {
    const above = reconcilerLayers.slice(i + 1).flat();
    for (const room of layer) {
      const siblings = layer.filter((r) => r !== room);
      const from = [...siblings, ...above].map(path);
      if (from.length === 0) continue;
      zones.push({
        target: path(room),
        from,
        message: `reconciler/src/${room} is in layer ${i} of eslint-layers.js; it may import lower layers only (docs/architecture.md, "Layers")`,
      });
    }
  });
  for (const rule of packageRules) {
    zones.push({
      ...rule,
      message: `${rule.target.slice(2)} may not import another package's sources (docs/architecture.md, "Layers")`,
    });
  }
  return zones;
}
