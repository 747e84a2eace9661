/** Parameters of {@link mountReach}. */
export type MountReachParameters = { token: string };

type KeyInfo = { id: string; label: string; createdAt: number; lastUsedAt: number | null };

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The "use your quota elsewhere" panel of a signed-in member: mint, list and revoke API keys (the
 * key shown once), the member API and MCP addresses, and a one-time Telegram link code.
 *
 * @param parameters The session token.
 * @returns `close()` for sign-out.
 */
export function mountReach(parameters: MountReachParameters): { close: () => void } {
  const { token } = parameters;
  const panel = el<HTMLDetailsElement>('reach');
  const error = el<HTMLParagraphElement>('reach-error');
  const list = el<HTMLUListElement>('keys');
  const secret = el<HTMLParagraphElement>('new-key');
  const code = el<HTMLSpanElement>('telegram-code');
  el('reach-base').textContent = `${location.origin}/v1`;
  el('reach-mcp').textContent = `${location.origin}/mcp`;
  panel.hidden = false;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    error.textContent = '';
    const response = await fetch(path, { ...init, headers });
    const body = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
    if (!response.ok) throw new Error(response.status === 404 && path.includes('telegram') ? 'This agent has no Telegram channel.' : (body.error?.message ?? `HTTP ${response.status}`));
    return body;
  };
  const fail = (cause: unknown) => void (error.textContent = cause instanceof Error ? cause.message : String(cause));

  const refresh = async () => {
    const { keys } = await call<{ keys: KeyInfo[] }>('/api/keys');
    list.replaceChildren(
      ...keys.map((key) => {
        const item = document.createElement('li');
        item.dataset.id = key.id;
        const label = document.createElement('span');
        label.textContent = `${key.label} · ${key.id}… · ${key.lastUsedAt ? `used ${new Date(key.lastUsedAt * 1000).toLocaleString()}` : 'never used'}`;
        const revoke = document.createElement('button');
        revoke.className = 'ghost';
        revoke.textContent = 'Revoke';
        revoke.addEventListener('click', () => void call(`/api/keys/${key.id}`, { method: 'DELETE' }).then(refresh).catch(fail));
        item.append(label, revoke);
        return item;
      }),
    );
  };
  const onMint = () =>
    void call<{ key: string }>('/api/keys', { method: 'POST', body: JSON.stringify({ label: el<HTMLInputElement>('key-label').value || 'api key' }) })
      .then(async ({ key }) => {
        secret.hidden = false;
        secret.textContent = `Your new key (copy it now, it is not shown again): ${key}`;
        secret.dataset.key = key;
        await refresh();
      })
      .catch(fail);
  const onLink = () =>
    void call<{ command: string; bot: string | null }>('/api/telegram/link', { method: 'POST' })
      .then((link) => {
        code.textContent = `Send ${link.command} to ${link.bot ?? "the agent's bot"} in a private chat within 10 minutes.`;
        code.dataset.command = link.command;
      })
      .catch(fail);
  el('mint-key').addEventListener('click', onMint);
  el('link-telegram').addEventListener('click', onLink);
  void refresh().catch(fail);
  return {
    close: () => {
      el('mint-key').removeEventListener('click', onMint);
      el('link-telegram').removeEventListener('click', onLink);
      panel.hidden = true;
      secret.hidden = true;
      secret.textContent = '';
      code.textContent = '';
      list.replaceChildren();
    },
  };
}
