import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** A Lambda context good enough for handlers under test. */
export const testContext = { awsRequestId: 'test', functionName: 'test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

/** The event API Gateway's HTTP API (payload 2.0) sends for a request. */
export function httpEvent(
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; query?: Record<string, string>; pathParameters?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: options.headers ?? {},
    queryStringParameters: options.query,
    pathParameters: options.pathParameters,
    body: options.body,
    isBase64Encoded: false,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r',
      routeKey: '',
      stage: '$default',
      time: '',
      timeEpoch: 0,
      accountId: '',
      apiId: '',
      domainName: '',
      domainPrefix: '',
    },
  } as APIGatewayProxyEventV2;
}

/** A browser's form post. */
export function formPost(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return httpEvent('POST', path, {
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
  });
}
