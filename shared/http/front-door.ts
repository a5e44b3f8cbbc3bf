import { createHash, timingSafeEqual } from 'node:crypto';
import type middy from '@middy/core';
import { HttpError } from './errors.js';
import { header, type HttpEvent, type HttpResult } from './events.js';

/**
 * The header CloudFront adds to every request it forwards to the HTTP API (an origin custom
 * header: a viewer's own header of this name is overwritten). Its value is a generated secret the
 * stack gives both the distribution and the HTTP functions (`ORIGIN_VERIFY`).
 */
export const FRONT_DOOR_HEADER = 'x-ticketline-origin';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Refuses requests that did not come through the front door: the HTTP API's own
 * `execute-api` address would otherwise skip AWS WAF's rate rule and the CDN's security
 * headers. Off where no secret is set (the local runtime, handler tests). The header is removed
 * once checked, so nothing later logs or forwards it.
 *
 * @example
 * middy(handler).use(problemJsonOnError(logger)).use(throughFrontDoor());
 */
export function throughFrontDoor(secret: string | undefined = process.env.ORIGIN_VERIFY): middy.MiddlewareObj<HttpEvent, HttpResult> {
  const expected = secret ? digest(secret) : undefined;
  const throughFrontDoorBefore = async (request: { event: HttpEvent }): Promise<void> => {
    if (!expected) return;
    const given = header(request.event, FRONT_DOOR_HEADER);
    // Compared as digests: equal length, constant time, whatever was sent.
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw new HttpError(403, 'Forbidden', "This address is not the desk's: use the desk's own address.", undefined, { code: 'not-through-front-door' });
    }
    for (const name of Object.keys(request.event.headers ?? {})) if (name.toLowerCase() === FRONT_DOOR_HEADER) delete request.event.headers[name];
  };
  return { before: throughFrontDoorBefore };
}
