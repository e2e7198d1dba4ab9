/**
 * Create, update and delete of one managed resource through the reconciler API, each waiting
 * until the platform holds the change and reporting the platform's reason on the attribute
 * the reconciler names.
 */
import { reasons } from '@telform/schemas';
import type { ApiResource } from '../client/api-resource.js';
import type { TelformClient } from '../client/telform-client.js';
import type { Diagnostics } from '../diag/diagnostics.js';
import type { ProviderServer } from '../server/provider-server.js';
import { apiErrorDiagnostics } from '../server/api-error-diagnostics.js';
import { apiAttributes, resolveUnknowns, stateFromResource } from './api-attributes.js';
import type { ResourceType } from './resource-types.js';
import { waitForApplied, waitForGone, type WaitResult } from './wait-for-platform.js';

type ObjectValue = Record<string, unknown>;

export interface ApplyContext {
  readonly server: ProviderServer;
  readonly client: TelformClient;
  readonly type: ResourceType;
  readonly diagnostics: Diagnostics;
}

export async function createResource(
  context: ApplyContext,
  planned: ObjectValue,
  config: ObjectValue | null,
): Promise<ObjectValue | null> {
  const { client, type, diagnostics } = context;
  const body = apiAttributes(type.schema.block.attributes ?? {}, planned, config);
  let created: ApiResource;
  try {
    created = await client.create(type.kind.kind, body);
  } catch (err) {
    apiErrorDiagnostics(err, `Cannot create ${type.typeName}`, diagnostics);
    return null;
  }
  const waited = await waitForApplied(
    client,
    type.kind.kind,
    created.id,
    context.server.applyTimeoutMs,
    context.server.stop.signal,
  );
  if (waited.outcome.state === 'failed' && waited.outcome.reason === reasons.alreadyExists) {
    // The object is on the platform already and telform made nothing: forget the attempt, so
    // that the import the message prints can take this address (no tainted resource in the way).
    report(context, waited, 'created', created.id);
    await client.remove(type.kind.kind, created.id).catch(() => undefined);
    return null;
  }
  // Whatever happens next, the resource exists in telform: it stays in the state.
  const state = newState(context, planned, waited.resource ?? created);
  // A create still in progress is not a failed one: an error would taint it, and the next apply
  // would delete and re-create what the reconciler is about to hold on the platform (deleting a
  // user there is permanent). Terraform keeps it untainted; the next refresh reads it.
  if (waited.outcome.state === 'pending')
    warnPending(context, waited.outcome, 'created', created.id);
  else report(context, waited, 'created', created.id);
  return state;
}

export async function updateResource(
  context: ApplyContext,
  prior: ObjectValue,
  planned: ObjectValue,
  config: ObjectValue | null,
): Promise<ObjectValue | null> {
  const { client, type, diagnostics } = context;
  const id = prior.id as string;
  const body = apiAttributes(type.schema.block.attributes ?? {}, planned, config);
  try {
    await client.replace(type.kind.kind, id, body);
  } catch (err) {
    apiErrorDiagnostics(err, `Cannot update ${type.typeName} ${id}`, diagnostics);
    return prior;
  }
  const waited = await waitForApplied(
    client,
    type.kind.kind,
    id,
    context.server.applyTimeoutMs,
    context.server.stop.signal,
  );
  if (waited.resource === null) {
    diagnostics.addError(
      `${type.typeName} ${id} disappeared`,
      'The resource was deleted while it was being updated.',
    );
    return null;
  }
  // Not applied: the prior state stays, so the next plan proposes the change again.
  if (!report(context, waited, 'updated', id)) return prior;
  return newState(context, planned, waited.resource);
}

export async function deleteResource(
  context: ApplyContext,
  prior: ObjectValue,
): Promise<ObjectValue | null> {
  const { client, type, diagnostics } = context;
  const id = prior.id as string;
  try {
    await client.remove(type.kind.kind, id);
  } catch (err) {
    if (!(err instanceof Error && 'status' in err && err.status === 404)) {
      apiErrorDiagnostics(err, `Cannot delete ${type.typeName} ${id}`, diagnostics);
      return prior;
    }
  }
  const waited = await waitForGone(
    client,
    type.kind.kind,
    id,
    context.server.applyTimeoutMs,
    context.server.stop.signal,
  );
  return report(context, waited, 'deleted', id) ? null : prior;
}

function newState(context: ApplyContext, planned: ObjectValue, resource: ApiResource): ObjectValue {
  const { type, server } = context;
  const actual = stateFromResource(
    type.schema.block.attributes ?? {},
    type.kind.schema,
    resource,
    planned,
    server.writeOnly,
  );
  const state = resolveUnknowns(planned, actual) as ObjectValue;
  if ('id' in state) state.id = resource.id;
  return state;
}

/** Adds the diagnostic for a change the platform did not take; true when it did. */
function report(context: ApplyContext, waited: WaitResult, verb: string, id: string): boolean {
  const { type, diagnostics, server } = context;
  const outcome = waited.outcome;
  if (outcome.state === 'applied' || (outcome.state === 'gone' && verb === 'deleted')) return true;
  if (outcome.state === 'failed') {
    const detail = `The platform refused it (${outcome.reason}): ${outcome.message || 'no reason given'}.`;
    const summary = `${type.typeName} ${id} was not ${verb} on the platform`;
    if (outcome.field) {
      diagnostics.addAttributeError(outcome.field, summary, detail, type.schema.block.attributes);
    } else diagnostics.addError(summary, detail);
    return false;
  }
  if (outcome.state === 'gone') return false;
  diagnostics.addError(
    `${type.typeName} ${id} not yet ${verb} on the platform`,
    pendingDetail(server, outcome),
  );
  return false;
}

type Pending = Extract<WaitResult['outcome'], { state: 'pending' }>;

function warnPending(context: ApplyContext, outcome: Pending, verb: string, id: string): void {
  const { type, diagnostics, server } = context;
  diagnostics.addWarning(
    `${type.typeName} ${id} not yet ${verb} on the platform`,
    `${pendingDetail(server, outcome)} It is kept in the state, not tainted: the next plan reads it and shows it in sync once the platform holds it.`,
  );
}

function pendingDetail(server: ProviderServer, outcome: Pending): string {
  const why = server.stop.signal.aborted
    ? 'Terraform was interrupted'
    : `the platform did not confirm it within ${Math.round(server.applyTimeoutMs / 1000)} s (set TELFORM_APPLY_TIMEOUT to wait longer)`;
  return `telform accepted the change, but ${why}; last status: ${outcome.reason}${outcome.message ? `: ${outcome.message}` : ''}. The reconciler keeps working on it.`;
}
