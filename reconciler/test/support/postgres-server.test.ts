import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';

describe('throwaway PostgreSQL server', () => {
  it('accepts connections at the provided URL', async () => {
    const client = new pg.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    const { rows } = await client.query<{ v: string }>(
      "select current_setting('server_version') as v",
    );
    await client.end();
    expect(rows[0]?.v).toMatch(/^\d+/);
  });
});
