// Public surface of @telform/reconciler. Teammates append their exports below.
export { openDatabase } from './store/open-database.js';
export type { OpenDatabaseOptions, OpenedDatabase } from './store/open-database.js';
export { migrateToLatest, pendingMigrations } from './store/migrate.js';
export type { MigrateOutcome } from './store/migrate.js';
export { ResourceStore } from './resources/resource-store.js';
export type { ListPage, ListQuery, Scoped } from './resources/resource-store.js';
export { IdempotencyStore, requestHash } from './store/idempotency-store.js';
export { StoreError } from './store/store-error.js';
export type { FieldError, StoreErrorCode } from './store/store-error.js';
export { toRepresentation } from './resources/resource-representation.js';
export type { ResourceRepresentation, ResourceRow } from './resources/resource-representation.js';
export { openSecrets, secretAad } from './store/secret-fields.js';
export { lockDirectory } from './store/directory-lock.js';
export { buildApp, testPrincipal } from './api/build-app.js';
export type { AppServices } from './api/build-app.js';
export { apiServicesFor, buildServices } from './services.js';
export type { Services, ServicesOptions } from './services.js';
export { Metrics } from './metrics/metrics.js';
export type { MetricsOptions } from './metrics/metrics.js';
export { errorCatalogue } from './api/error-catalogue.js';
export type { ErrorCode } from './api/error-catalogue.js';
export { problem, ProblemError, problemContentType } from './api/problem.js';
export type { Problem, FieldProblem } from './api/problem.js';
export { requestIdFor, requestIdPattern } from './api/request-id.js';
export { startDaemon } from './daemon.js';
export type { BundledEmulatorOptions, DaemonOptions, RunningDaemon } from './daemon.js';
export { PlatformError } from './driver/platform-driver.js';
export type {
  Attributes,
  ExternalRef,
  ListPage as PlatformListPage,
  ListQuery as PlatformListQuery,
  Observation,
  Observed,
  PlatformDriver,
  PlatformErrorDetails,
  PlatformErrorReason,
  ResourceRef,
} from './driver/platform-driver.js';
export { HttpPlatformDriver } from './driver/http-platform-driver.js';
export type { HttpPlatformDriverOptions } from './driver/http-platform-driver.js';
export { TokenStore, hashToken, looksLikeToken } from './auth/token-store.js';
export type { CreateTokenInput, TokenInfo, VerifyResult } from './auth/token-store.js';
export type { Action, Principal, Role } from './auth/principal.js';
export { authPlugin } from './api/auth-plugin.js';
export type { AuthPluginOptions } from './api/auth-plugin.js';
export { defaultRateLimit, hardeningPlugin, rateLimitKey } from './api/hardening-plugin.js';
export type { HardeningOptions } from './api/hardening-plugin.js';
export { parseRateLimit } from './auth/parse-rate-limit.js';
export type { RateLimit } from './auth/parse-rate-limit.js';
export { AuditStore } from './audit/audit-store.js';
export type { AuditStoreOptions } from './audit/audit-store.js';
export { discardAuditSink } from './audit/audit-sink.js';
export type { AuditEventInput, AuditSink } from './audit/audit-sink.js';
export type { AuditEvent } from './audit/audit-event.js';
export { verifyAuditChain } from './audit/verify-audit-chain.js';
export type { ChainProblem, ChainReport } from './audit/verify-audit-chain.js';
export { DriftScanner, UnknownAccountError } from './drift/drift-scanner.js';
export type { AccountScanResult, DriftScannerDeps } from './drift/drift-scanner.js';
export { ReconcileEngine } from './reconcile/reconcile-engine.js';
export type { ReconcileEngineOptions } from './reconcile/reconcile-engine.js';
export { AesGcmSecretBox } from './secrets/aes-gcm-secret-box.js';
export type { SealedSecret, SecretBox } from './secrets/secret-box.js';
export { loadSecretKey } from './secrets/load-secret-key.js';
export { rekeySecrets } from './rekey/rekey-secrets.js';
export type { RekeyOptions, RekeySummary, UnopenableSecret } from './rekey/rekey-secrets.js';
export type { LoadedSecretKey, SecretKeySource } from './secrets/load-secret-key.js';
