import { describe, expect, it } from 'vitest';
import { problemMessage } from '../../src/cli/problem-message.js';

describe('problemMessage', () => {
  it.each([
    {
      why: "a route validation problem's detail holds every message: said once",
      summary: '422 querystring: limit must be <= 1000',
      errors: [{ field: 'limit', message: 'limit must be <= 1000' }],
      want: '422 querystring: limit must be <= 1000',
    },
    {
      why: 'a store refusal summarises; each field message follows, naming its field once',
      summary: 'invalid token request',
      errors: [{ field: 'name', message: 'name must be 1-64 letters' }],
      want: 'invalid token request (name must be 1-64 letters)',
    },
    {
      why: 'a message that does not start with its field gets the field in front',
      summary: '422 The request breaks a rule',
      errors: [{ field: 'account_id', message: 'no such account' }],
      want: '422 The request breaks a rule (account_id: no such account)',
    },
    {
      why: 'no field errors: the summary alone',
      summary: '404 no user x',
      errors: [],
      want: '404 no user x',
    },
  ])('$why', ({ summary, errors, want }) => {
    expect(problemMessage(summary, errors)).toBe(want);
  });
});
