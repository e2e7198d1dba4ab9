import type { FastifyRequest } from 'fastify';
import { errors } from '../errors/error-catalogue.js';

/** `/_emulator/*` is for the partner (or staff) key only: tests and demos drive it. */
export function requireAdmin(request: FastifyRequest): void {
  const p = request.platformCaller;
  if (!p) throw errors.unauthenticated();
  if (p.type === 'account')
    throw errors.forbidden('the emulator admin API needs the partner or staff key');
}
