/**
 * Which client sent a request, from its User-Agent (what each assistant really sends: CLIENTS.md).
 * Order matters: specific assistants before the SDKs they are built on.
 */

const RULES: readonly [RegExp, string][] = [
  [/^claude-cli\//i, 'claude-cli'],
  [/^claude-code\//i, 'claude-cli'],
  [/^codex(_exec|_cli_rs|_vscode)?\//i, 'codex'],
  [/QwenCode/i, 'qwen'],
  [/\bopencode\//i, 'opencode'],
  [/Kilo-?Code/i, 'kilo'],
  [/GeminiCLI|gemini-cli/i, 'gemini-cli'],
  [/\bContinue\b|continue-cli|\bcn\//i, 'continue'],
  [/\bCline\b/i, 'cline'],
  // Cline's CLI talks through Vercel's AI SDK and identifies only as `ai-sdk/…`.
  [/^ai-sdk\//i, 'cline'],
  [/Cursor\//i, 'cursor'],
  [/JetBrains|IntelliJ/i, 'jetbrains'],
  [/^OpenAI\/(JS|Python)|openai-python|openai-node/i, 'openai-sdk'],
  [/^Anthropic\/(JS|Python)|anthropic-python|anthropic-typescript/i, 'anthropic-sdk'],
  [/^curl\//i, 'curl'],
  [/^python-requests\//i, 'python-requests'],
  [/^node-fetch|^undici/i, 'node'],
];

export function detectClient(userAgent: string | undefined): string {
  if (!userAgent) return 'unknown';
  for (const [re, name] of RULES) if (re.test(userAgent)) return name;
  return 'other';
}

type Headers = Record<string, string | string[] | undefined>;

export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s.trim();
}

/** X-Conversation-ID, else Claude Code's session id, else Codex's. */
export function conversationIdOf(headers: Headers): string | undefined {
  return header(headers, 'x-conversation-id') ?? header(headers, 'x-claude-code-session-id') ?? header(headers, 'session-id');
}
