/** Request bodies for the benchmark: a ~1 KB chat request and a ~800 KB Claude-Code-shaped one. */

export function smallChat(stream: boolean): string {
  const body = {
    model: 'gpt-4o-mini',
    stream,
    messages: [
      { role: 'system', content: 'You are a careful assistant that answers briefly. '.repeat(6) },
      { role: 'user', content: 'Explain in two sentences what a governance gateway for LLM traffic does, and why it sits inline. '.repeat(5) },
    ],
  };
  return JSON.stringify(body);
}

/** A Claude Code turn late in a session: system blocks with cache_control, ~25 tools, a long history with tool results. */
export function claudeCodeBody(stream: boolean, targetBytes = 800 * 1024): string {
  const tools = Array.from({ length: 25 }, (_, i) => ({
    name: `Tool${i}`,
    description: `Tool number ${i}: reads, edits or searches files in the workspace. `.repeat(20),
    input_schema: {
      type: 'object',
      properties: { path: { type: 'string', description: 'Absolute path' }, pattern: { type: 'string' }, limit: { type: 'integer' }, content: { type: 'string' } },
      required: ['path'],
    },
  }));
  const fileText = Array.from({ length: 60 }, (_, i) => `${i + 1}\texport function handler${i}(req, res) { return res.json({ ok: true, id: ${i} }); }`).join('\n');
  const messages: unknown[] = [];
  let i = 0;
  const base = { model: 'claude-sonnet-4-5', max_tokens: 32000, stream, thinking: { type: 'adaptive' }, metadata: { user_id: '{"device_id":"abc","session":"s1"}' } };
  const system = [
    { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." },
    { type: 'text', text: 'Follow the repository conventions. '.repeat(200), cache_control: { type: 'ephemeral' } },
  ];
  const size = () => JSON.stringify({ ...base, system, tools, messages }).length;
  while (size() < targetBytes) {
    messages.push({ role: 'user', content: [{ type: 'text', text: `Please look at src/file${i}.ts and fix the handler.` }] });
    messages.push({ role: 'assistant', content: [{ type: 'tool_use', id: `toolu_${i}`, name: 'Tool1', input: { path: `/repo/src/file${i}.ts` } }] });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: fileText }] });
    i++;
  }
  return JSON.stringify({ ...base, system, tools, messages });
}
