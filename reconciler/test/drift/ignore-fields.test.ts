import { describe, expect, it } from 'vitest';
import { IGNORE_PATTERN_SOURCE, isIgnored } from '../../src/drift/ignore-fields.js';

describe('isIgnored', () => {
  it.each([
    { why: 'no patterns ignore nothing', path: 'name', patterns: [], want: false },
    { why: 'exact path', path: 'name', patterns: ['name'], want: true },
    {
      why: 'a prefix covers its children',
      path: 'privileges.admin',
      patterns: ['privileges'],
      want: true,
    },
    {
      why: 'a prefix must end at a segment boundary',
      path: 'privileges_x',
      patterns: ['privileges'],
      want: false,
    },
    {
      why: 'a child pattern does not cover its parent',
      path: 'privileges',
      patterns: ['privileges.admin'],
      want: false,
    },
    { why: '* matches one segment', path: 'tabs.home', patterns: ['*.home'], want: true },
    {
      why: '* does not match a different leaf',
      path: 'tabs.list_view',
      patterns: ['*.home'],
      want: false,
    },
  ])('$why', ({ path, patterns, want }) => {
    expect(isIgnored(path, patterns)).toBe(want);
  });
});

describe('IGNORE_PATTERN_SOURCE', () => {
  it.each([
    { why: 'dotted snake_case path is valid', pattern: 'privileges.admin', ok: true },
    { why: 'wildcard segment is valid', pattern: '*.user_can_configure', ok: true },
    { why: 'empty segment is rejected', pattern: 'privileges..admin', ok: false },
    { why: 'uppercase is not an attribute name', pattern: 'Name', ok: false },
    { why: 'empty string is rejected', pattern: '', ok: false },
  ])('$why', ({ pattern, ok }) => {
    expect(new RegExp(IGNORE_PATTERN_SOURCE).test(pattern)).toBe(ok);
  });
});
