/*
 * Copyright 2026 The EKS Access for Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { RouteTable } from './RouteTable';

describe('RouteTable', () => {
  const table = new RouteTable<string>()
    .add('get', '/things', () => 'list')
    .add('get', '/things/:name', ({ name }) =>
      name === 'hidden' ? undefined : `get ${name}`,
    )
    .add('get', '/things/:name/:rest', () => 'deeper')
    .add('delete', '/things/:name', ({ name }) => `delete ${name}`)
    .add('get', '/things/:other', () => 'never reached');

  it('names the route of a method and path, with each parameter decoded once', () => {
    expect(table.match('GET', '/things')).toBe('list');
    expect(table.match('GET', '/things/a%2Fb%253A')).toBe('get a/b%3A');
    expect(table.match('DELETE', '/things/x')).toBe('delete x');
    expect(table.match('GET', '/things/x?watch=true')).toBe('get x');
  });

  it('matches nothing for another method, case, trailing slash or a parameter that does not decode', () => {
    expect(table.match('POST', '/things')).toBeUndefined();
    expect(table.match('HEAD', '/things')).toBeUndefined();
    expect(table.match('OPTIONS', '/things')).toBeUndefined();
    expect(table.match('GET', '/Things')).toBeUndefined();
    expect(table.match('GET', '/things/')).toBeUndefined();
    expect(table.match('GET', '/things/%E0%A4%A')).toBeUndefined();
    expect(table.match('GET', '/other')).toBeUndefined();
  });

  it('lets the first matching pattern decide, even when it answers no route', () => {
    expect(table.match('GET', '/things/hidden')).toBeUndefined();
  });
});
