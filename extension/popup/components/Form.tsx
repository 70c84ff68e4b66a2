import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { kind?: 'primary' | 'secondary' | 'danger' | 'ghost'; busy?: boolean; disabled?: boolean; type?: 'button' | 'submit' };

export function Button({ kind = 'primary', busy, disabled, children, type = 'button', ...rest }: ButtonProps) {
  return (
    <button {...rest} type={type} class={`btn ${kind}`} disabled={disabled || busy} aria-busy={busy}>
      {busy ? 'Working…' : children}
    </button>
  );
}

interface FieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  testid: string;
  type?: 'text' | 'password';
  placeholder?: string;
  hint?: string;
  multiline?: boolean;
  autoFocus?: boolean;
}

export function Field({ label, value, onInput, testid, type = 'text', placeholder, hint, multiline, autoFocus }: FieldProps) {
  const common = {
    'data-testid': testid, value, placeholder, autoFocus, spellcheck: false,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <label class="field">
      <span>{label}</span>
      {multiline ? <textarea {...common} rows={3} />
        : type === 'password' ? <input {...common} type="password" autoComplete="off" />
          : <input {...common} type="text" autoComplete="off" />}
      {hint && <small>{hint}</small>}
    </label>
  );
}

export function ErrorNote({ error }: { error: string | null }) {
  return error ? <p class="error" role="alert" data-testid="error">{error}</p> : null;
}

export function Notice({ children, tone = 'info', testid }: { children: ComponentChildren; tone?: 'info' | 'warn' | 'ok'; testid?: string }) {
  return <div class={`notice ${tone}`} data-testid={testid}>{children}</div>;
}

export function Form({ onSubmit, children }: { onSubmit: () => void; children: ComponentChildren }) {
  return (
    <form class="form" onSubmit={(e) => { e.preventDefault(); onSubmit(); }}>
      {children}
    </form>
  );
}
