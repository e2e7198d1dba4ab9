export {
  applyOrder,
  catalog,
  dataSourceKinds,
  describeKind,
  getKind,
  managedKinds,
} from './catalog.js';
export type { KindAnnotation, KindInfo, KindReference, KindSchema, SchemaNode } from './catalog.js';
export { validateResource } from './validate.js';
export type {
  KindValidator,
  ValidationError,
  ValidationMode,
  ValidationResult,
} from './validate.js';
export { isId, kindOfId, newId } from './ids.js';
export { inspectInput } from './inspect-input.js';
export type { InputLimits, InputLocation, InputProblem, RequestInput } from './inspect-input.js';
export { audioFormat } from './audio-format.js';
export type { AudioFormat } from './audio-format.js';
export { imageDimensions } from './image-dimensions.js';
export type { ImageDimensions } from './image-dimensions.js';
export type * from '../generated/types.js';
export { providerAddress, providerSource } from './generate-provider-schema.js';
export type {
  ProviderSchemaDocument,
  TerraformAttribute,
  TerraformSchema,
  TerraformType,
} from './generate-provider-schema.js';
export { HclComment, HclExpression, hclBlock, hclBody } from './generate-hcl.js';
export { isFinalReason, reasons } from './condition-reasons.js';
export type { ConditionReason } from './condition-reasons.js';
export { generatedNotice } from './generate-notice.js';
export type { GeneratedFile } from './generate-notice.js';
