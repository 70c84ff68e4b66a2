import type { ComponentChildren } from 'preact';
import { go } from '../router';

interface Props {
  /** `data-testid="screen-${name}"`: tests and the first-render benchmark wait for it. */
  name: string;
  title?: string;
  /** Where the back arrow leads; no arrow when absent. */
  back?: string[];
  actions?: ComponentChildren;
  children: ComponentChildren;
}

export function Screen({ name, title, back, actions, children }: Props) {
  return (
    <main class="screen" data-testid={`screen-${name}`}>
      <header class="bar">
        {back ? <button class="icon" aria-label="Back" data-testid="back" onClick={() => go(...back)}>‹</button> : <Logo />}
        <h1>{title ?? 'Dark Wallet'}</h1>
        <div class="bar-actions">{actions}</div>
      </header>
      <div class="content">{children}</div>
    </main>
  );
}

export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
      <circle cx="16" cy="16" r="14" fill="url(#g)" />
      <path d="M21 9a9 9 0 1 0 0 14a7 7 0 1 1 0-14z" fill="#0b0d12" />
      <defs>
        <linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="#a78bfa" />
          <stop offset="1" stop-color="#4f46e5" />
        </linearGradient>
      </defs>
    </svg>
  );
}
