import { formatAmount } from './format.js';
import type { PageConfig } from './pageConfig.js';

/** Parameters of {@link mountChat}. */
export type MountChatParameters = { config: PageConfig; token: string; onSignOut: () => void };

type Frame = { type: string; id?: string; text?: string; conversationId?: number; costUnits?: string; status?: number; error?: { message: string; details?: string }; quota?: { remaining: string; used: string; balance: string } };

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The chat panel: a WebSocket to `/api/ws`, messages streamed into bubbles token by token, the
 * member's remaining quota, and errors in words (no pass, quota used up with the stake that would
 * restore it, rate limits).
 *
 * @param parameters Page config, session token, sign-out callback.
 * @returns `close()` for sign-out.
 */
export function mountChat(parameters: MountChatParameters): { close: () => void } {
  const { config, token } = parameters;
  const messages = el<HTMLDivElement>('messages');
  const input = el<HTMLTextAreaElement>('input');
  const send = el<HTMLButtonElement>('send');
  const error = el<HTMLParagraphElement>('chat-error');
  const quota = el<HTMLDivElement>('quota');
  let conversationId: number | undefined;
  let current: HTMLDivElement | undefined;
  let ws: WebSocket | undefined;
  let closed = false;

  const bubble = (role: 'user' | 'assistant', text: string) => {
    const div = document.createElement('div');
    div.className = `bubble ${role}`;
    div.textContent = text;
    messages.append(div);
    messages.scrollTop = messages.scrollHeight;
    return div;
  };
  const showQuota = (q: { remaining: string; used: string; balance: string }) => {
    quota.textContent = `Quota left: ${formatAmount(q.remaining, config.decimals, 6)} ${config.tokenSymbol} (used ${formatAmount(q.used, config.decimals, 6)} of ${formatAmount(q.balance, config.decimals, 6)})`;
    quota.dataset.remaining = q.remaining;
  };
  const refreshQuota = async () => {
    const response = await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } });
    if (response.ok) showQuota(((await response.json()) as { quota: { remaining: string; used: string; balance: string } }).quota);
  };

  const connect = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`);
      socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token }));
      socket.onmessage = (event) => {
        const frame = JSON.parse(String(event.data)) as Frame;
        if (frame.type === 'ready') return resolve(socket);
        onFrame(frame);
      };
      socket.onerror = () => reject(new Error('The chat connection failed.'));
      socket.onclose = () => {
        ws = undefined;
        if (!closed) setBusy(false);
      };
    });

  const setBusy = (busy: boolean) => {
    send.disabled = busy;
    input.disabled = busy;
    if (!busy) input.focus();
  };

  function onFrame(frame: Frame): void {
    if (frame.type === 'start') {
      conversationId = frame.conversationId;
      current = bubble('assistant', '');
      current.classList.add('streaming');
    } else if (frame.type === 'token' && current) {
      current.textContent = (current.textContent ?? '') + (frame.text ?? '');
      messages.scrollTop = messages.scrollHeight;
    } else if (frame.type === 'done') {
      current?.classList.remove('streaming');
      if (current) current.title = `cost ${formatAmount(frame.costUnits ?? '0', config.decimals, 6)} ${config.tokenSymbol}`;
      current = undefined;
      if (frame.quota) showQuota(frame.quota);
      setBusy(false);
    } else if (frame.type === 'error') {
      current?.remove();
      current = undefined;
      const text = [frame.error?.message, frame.error?.details].filter(Boolean).join(' ');
      error.textContent = text || 'Something went wrong.';
      error.dataset.status = String(frame.status ?? '');
      if (frame.status === 401) parameters.onSignOut();
      setBusy(false);
    }
  }

  const submit = async () => {
    const content = input.value.trim();
    if (!content) return;
    error.textContent = '';
    setBusy(true);
    try {
      ws ??= await connect();
      bubble('user', content);
      input.value = '';
      ws.send(JSON.stringify({ type: 'message', content, ...(conversationId === undefined ? {} : { conversationId }) }));
    } catch (cause) {
      error.textContent = cause instanceof Error ? cause.message : String(cause);
      setBusy(false);
    }
  };
  const onSubmit = (event: Event) => {
    event.preventDefault();
    void submit();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey) onSubmit(event);
  };
  const onNew = () => {
    conversationId = undefined;
    messages.replaceChildren();
    error.textContent = '';
  };
  el<HTMLFormElement>('composer').addEventListener('submit', onSubmit);
  input.addEventListener('keydown', onKey);
  el<HTMLButtonElement>('new-conversation').addEventListener('click', onNew);
  void refreshQuota();
  void connect().then((socket) => (ws = socket), () => undefined);
  return {
    close: () => {
      closed = true;
      ws?.close();
      el<HTMLFormElement>('composer').removeEventListener('submit', onSubmit);
      input.removeEventListener('keydown', onKey);
      el<HTMLButtonElement>('new-conversation').removeEventListener('click', onNew);
      onNew();
      quota.textContent = '';
    },
  };
}
