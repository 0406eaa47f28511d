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

import { Router, type Request, type Response } from 'express';

/** An HTTP method's route, or `all` for a route of every method. */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'all';
type Matching<T> = { method: string; url: string; matched?: T };

/**
 * Which route a method and path take, by an express Router's path patterns,
 * without serving the request: the sandbox's servers stay plain Node
 * servers (the AWS endpoint tells the protocols apart first; the Kubernetes
 * API counts, authenticates and injects faults before it serves), and ask
 * this table only which operation a request is.
 *
 * Paths match case-sensitively and strictly (a trailing slash is another
 * path); each parameter is percent-decoded once, and one that does not
 * decode matches nothing. The first pattern that matches decides: its
 * `toRoute` may still answer `undefined` (no such route), and no later
 * pattern is tried.
 */
export class RouteTable<T> {
  readonly #router = Router({ caseSensitive: true, strict: true });

  add(
    method: Method,
    path: string,
    toRoute: (params: Record<string, string>) => T | undefined,
  ): this {
    this.#router[method](path, (req: Request) => {
      (req as unknown as Matching<T>).matched = toRoute(req.params);
    });
    return this;
  }

  match(method: string, path: string): T | undefined {
    // express would answer HEAD with a GET route, and OPTIONS by itself
    if (method === 'HEAD' || method === 'OPTIONS') return undefined;
    const req: Matching<T> = { method, url: path };
    // a Router dispatches synchronously to the first handler that matches;
    // the handlers above never call next, so `done` runs only on no match
    // or on a parameter that does not decode
    this.#router(req as unknown as Request, {} as Response, () => undefined);
    return req.matched;
  }
}
