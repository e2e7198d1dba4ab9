// Public surface of @telform/reconciler. Teammates append their exports below.
export { openDatabase } from './store/open-database.js';
export type { OpenDatabaseOptions, OpenedDatabase } from './store/open-database.js';
export { migrateToLatest, pendingMigrations } from './store/migrate.js';
export type { MigrateOutcome } from './store/migrate.js';
export { ResourceStore } from './store/resource-store.js';
export type { ListPage, ListQuery, Scoped } from './store/resource-store.js';
export { IdempotencyStore, requestHash } from './store/idempotency-store.js';
export { StoreError } from './store/store-error.js';
export type { FieldError, StoreErrorCode } from './store/store-error.js';
export { toRepresentation } from './store/resource-representation.js';
export type { ResourceRepresentation, ResourceRow } from './store/resource-representation.js';
export { openSecrets, secretAad } from './store/secret-fields.js';
export { lockDirectory } from './store/directory-lock.js';
