import type { Request } from './request.js';
import type { Response } from './response.js';

/** The name a segment of a path pattern captures: `name` for `:name`, nothing for a literal. */
type SegmentParam<Segment extends string> = Segment extends `:${infer Name}` ? Name : never;

/** The name the last segment captures: a `*` captures the rest of the path as `*`. */
type LastParam<Segment extends string> = Segment extends '*' ? '*' : SegmentParam<Segment>;

/**
 * The names of the parameters a path pattern captures (see `compilePattern`): each `:name`
 * segment, and `*` for a final `*` segment.
 *
 * @example
 * ```ts
 * type Names = ParamNames<'/notes/:folder/:name'>; // 'folder' | 'name'
 * type Rest = ParamNames<'/files/*'>; // '*'
 * ```
 */
export type ParamNames<Pattern extends string> = Pattern extends `${infer Head}/${infer Tail}`
  ? Tail extends ''
    ? LastParam<Head>
    : SegmentParam<Head> | ParamNames<Tail>
  : LastParam<Pattern>;

/**
 * The parameters a route's handler gets for a pattern: one string for each name the pattern
 * captures. A pattern that is a `string` rather than a literal gives the loose
 * `Request['params']`, whose fields may be `undefined`.
 */
export type RouteParams<Pattern extends string> = string extends Pattern
  ? Request['params']
  : Request['params'] & { readonly [Name in ParamNames<Pattern>]: string };

/**
 * The request a route's handler gets: a {@link Request} whose `params` are typed from the
 * route's pattern, so `createRouter().get('/notes/:name', (r) => ...)` reads `r.params.name` as
 * a `string`.
 */
export type RoutedRequest<Pattern extends string = string> = Request & {
  readonly params: RouteParams<Pattern>;
};

/** A route's handler: a handler of {@link RoutedRequest} for the route's pattern. */
export type RouteHandler<Pattern extends string = string> = (
  request: RoutedRequest<Pattern>,
) => Promise<Response>;
