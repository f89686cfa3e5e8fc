/**
 * One non-streaming round trip to an OpenAI-compatible `POST {baseUrl}/chat/completions`
 * (OpenAI, llama.cpp server, Ollama, vLLM). Every failure is a value, never a rejection.
 */
import { z } from 'zod';
import type { ChatMessage } from './llm-prompt.js';

export type ChatFailureReason = 'timeout' | 'http-error' | 'network-error' | 'malformed' | 'empty';

export type ChatCompletionResult =
  { ok: true; content: string } | { ok: false; reason: ChatFailureReason; detail?: string };

export interface ChatCompletionRequest {
  baseUrl: string;
  model: string;
  apiKey?: string;
  messages: readonly ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  /** Abort to give up; the result is then `timeout`. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** The subset of a chat-completions response that is read (`text` for legacy completions). */
const ChatCompletionSchema = z.object({
  choices: z.array(
    z.object({
      message: z.object({ content: z.string().nullable().optional() }).optional(),
      text: z.string().optional(),
    }),
  ),
});

/** `{baseUrl}/chat/completions`, tolerating a trailing slash. */
export function chatCompletionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

/**
 * @example
 * const r = await requestChatCompletion({ baseUrl, model, messages, signal: AbortSignal.timeout(800) });
 * if (r.ok) console.log(r.content);
 */
export async function requestChatCompletion(
  req: ChatCompletionRequest,
): Promise<ChatCompletionResult> {
  const fetchFn = req.fetch ?? globalThis.fetch.bind(globalThis);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (req.apiKey) headers.authorization = `Bearer ${req.apiKey}`;
  const body: Record<string, unknown> = { model: req.model, messages: req.messages, stream: false };
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;

  let raw: string;
  try {
    const res = await fetchFn(chatCompletionsUrl(req.baseUrl), {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: req.signal,
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, reason: 'http-error', detail: `HTTP ${res.status}` };
    }
    raw = await res.text();
  } catch (error) {
    if (req.signal?.aborted) return { ok: false, reason: 'timeout' };
    return {
      ok: false,
      reason: 'network-error',
      detail: error instanceof Error ? error.message : String(error),
    };
  }

  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'malformed', detail: 'response is not JSON' };
  }
  const parsed = ChatCompletionSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed', detail: 'no choices array' };
  const choice = parsed.data.choices[0];
  const content = choice?.message?.content ?? choice?.text ?? '';
  if (content.trim().length === 0) return { ok: false, reason: 'empty' };
  return { ok: true, content };
}
