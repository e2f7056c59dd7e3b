// HTTP tools on the worker: arguments checked against the tool's JSON Schema, the URL template
// filled, the host checked against the tool's allow-list (after expansion, and redirects are not
// followed, so no argument can send a call elsewhere), headers from named secrets, one request
// under the tool's timeout. Every failure is a tool error the model can act on.
import { z } from 'zod';
import { expandUrl, HTTP_SECRET_ENV_PREFIX, hostAllowed, type HttpTool } from '../../core/http-tools';
import { schemaErrors } from '../../core/json-schema';
import { toolError } from '../../tools/tool-result';
import type { ToolDefinition, ToolResult } from '../../tools/types';

export const MAX_HTTP_RESPONSE_CHARS = 50_000;

const httpArguments = z.record(z.string(), z.unknown());

export class HttpToolCaller {
  constructor(
    private readonly environment: Record<string, string | undefined> = process.env,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async call(tool: HttpTool, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolResult> {
    const problems = schemaErrors(tool.parameters, args);
    if (problems.length > 0) return toolError(`${tool.name} arguments invalid: ${problems.join('; ')}`, { invalidArguments: problems });
    const request = this.requestOf(tool, args);
    if ('refused' in request) return request.refused;
    const meta = { http: { method: tool.method, host: request.url.host } };
    try {
      const timeout = AbortSignal.timeout(tool.timeoutSeconds * 1000);
      const response = await this.fetchImpl(request.url, {
        method: tool.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const text = await response.text();
      const body = text.length > MAX_HTTP_RESPONSE_CHARS ? `${text.slice(0, MAX_HTTP_RESPONSE_CHARS)}\n[response cut at ${MAX_HTTP_RESPONSE_CHARS} characters]` : text;
      const redirect = response.status >= 300 && response.status < 400 ? `\n(redirect to ${response.headers.get('location') ?? '?'} not followed)` : '';
      return { output: `HTTP ${response.status}${redirect}\n${body}`, isError: response.status >= 300, metadata: { http: { ...meta.http, status: response.status } } };
    } catch (error) {
      if (signal?.aborted) throw error;
      const timedOut = (error as Error).name === 'TimeoutError';
      return toolError(timedOut
        ? `${tool.name}: ${request.url.host} did not answer within ${tool.timeoutSeconds} s.`
        : `${tool.name}: the request to ${request.url.host} failed: ${(error as Error).message}.`, { http: { ...meta.http, error: timedOut ? 'timeout' : 'failed' } });
    }
  }

  private requestOf(tool: HttpTool, args: Record<string, unknown>): { url: URL; headers: Record<string, string>; body?: string } | { refused: ToolResult } {
    const { url: expanded, rest } = expandUrl(tool.url, args);
    let url: URL;
    try {
      url = new URL(expanded);
    } catch {
      return { refused: toolError(`${tool.name}: the arguments make an invalid URL (${expanded}).`, { http: { refused: 'url' } }) };
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !hostAllowed(url, tool.allowedHosts)) {
      return { refused: toolError(`${tool.name}: refused: ${url.host} is not on the tool's allowed hosts (${tool.allowedHosts.join(', ')}).`, { http: { refused: 'host', host: url.host } }) };
    }
    const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.5' };
    for (const [name, reference] of Object.entries(tool.headers)) {
      const value = this.environment[`${HTTP_SECRET_ENV_PREFIX}${reference.secret}`];
      if (value === undefined) {
        return { refused: toolError(`${tool.name}: the worker has no secret ${reference.secret} (set ${HTTP_SECRET_ENV_PREFIX}${reference.secret}); the call was not made.`, { http: { refused: 'secret', secret: reference.secret } }) };
      }
      headers[name] = value;
    }
    if (tool.method === 'GET' || tool.method === 'DELETE') {
      for (const [name, value] of Object.entries(rest)) {
        if (value !== undefined && value !== null) url.searchParams.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean));
      }
      return { url, headers };
    }
    headers['content-type'] = 'application/json';
    return { url, headers, body: JSON.stringify(rest) };
  }
}

export function httpToolDefinition(caller: HttpToolCaller, tool: HttpTool): ToolDefinition {
  const definition: ToolDefinition<Record<string, unknown>> = {
    name: tool.name,
    description: tool.description,
    // The tool's own JSON Schema is checked in call(); zod only insists on an object.
    schema: httpArguments,
    run: (args, context) => caller.call(tool, args, context.signal),
  };
  return definition as ToolDefinition;
}
