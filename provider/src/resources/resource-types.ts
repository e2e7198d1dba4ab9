/**
 * The resource and data source types the provider serves: the generated
 * schemas/generated/provider-schema.json (inlined into the bundle by esbuild), joined with each
 * kind's catalogue entry. A schemas test regenerates that file and fails on any difference.
 */
import {
  getKind,
  providerAddress,
  type KindInfo,
  type ProviderSchemaDocument,
} from '@telform/schemas';
import generated from '../../../schemas/generated/provider-schema.json' with { type: 'json' };
import { blockType, type CtyType, type JsonSchema } from '../protocol/cty-type.js';
import { driftDataSourceSchema } from './drift-data-source-schema.js';
import {
  platformActivitySchema,
  platformActivityTypeName,
} from './platform-activity-data-source.js';

export interface ResourceType {
  readonly typeName: string;
  readonly kind: KindInfo;
  readonly schema: JsonSchema;
  readonly type: CtyType;
}

export interface DataSourceType {
  readonly typeName: string;
  /** The catalog kind, or undefined for `telform_drift` and `telform_platform_activity` (not kinds). */
  readonly kind: KindInfo | undefined;
  readonly schema: JsonSchema;
  readonly type: CtyType;
}

export interface ProviderTypes {
  readonly provider: JsonSchema & { type: CtyType };
  readonly resources: ReadonlyMap<string, ResourceType>;
  readonly dataSources: ReadonlyMap<string, DataSourceType>;
}

const kindOf = (typeName: string) => typeName.replace(/^telform_/, '');

let loaded: ProviderTypes | undefined;

export function providerTypes(): ProviderTypes {
  if (loaded) return loaded;
  const document = (generated as unknown as ProviderSchemaDocument).provider_schemas[
    providerAddress
  ]!;
  const resources = new Map<string, ResourceType>();
  for (const [typeName, raw] of Object.entries(document.resource_schemas)) {
    const schema = raw as unknown as JsonSchema;
    resources.set(typeName, {
      typeName,
      kind: getKind(kindOf(typeName)),
      schema,
      type: blockType(schema.block),
    });
  }
  const dataSources = new Map<string, DataSourceType>();
  for (const [typeName, raw] of Object.entries(document.data_source_schemas)) {
    const schema = raw as unknown as JsonSchema;
    dataSources.set(typeName, {
      typeName,
      kind: getKind(kindOf(typeName)),
      schema,
      type: blockType(schema.block),
    });
  }
  dataSources.set('telform_drift', {
    typeName: 'telform_drift',
    kind: undefined,
    schema: driftDataSourceSchema,
    type: blockType(driftDataSourceSchema.block),
  });
  dataSources.set(platformActivityTypeName, {
    typeName: platformActivityTypeName,
    kind: undefined,
    schema: platformActivitySchema,
    type: blockType(platformActivitySchema.block),
  });
  const provider = document.provider as unknown as JsonSchema;
  loaded = { provider: { ...provider, type: blockType(provider.block) }, resources, dataSources };
  return loaded;
}
