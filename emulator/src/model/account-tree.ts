import type { ObjectRepository } from './object-repository.js';

/** The top-level account above `accountId` (itself when it is one). */
export function rootOf(repo: ObjectRepository, accountId: string): string {
  let id = accountId;
  for (let parent = repo.get(id)?.account_id; parent; parent = repo.get(id)?.account_id)
    id = parent;
  return id;
}

/** `accountId` and every sub-account below it. */
export function subtree(repo: ObjectRepository, accountId: string): string[] {
  const out = [accountId];
  for (let i = 0; i < out.length; i++) {
    for (const sub of repo.list(out[i]!, 'sub_account')) out.push(sub.id);
  }
  return out;
}
