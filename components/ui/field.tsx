"use client";

import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { inputStyles } from "./styles";

type FieldProps = { label: string; name: string; error?: string; hint?: ReactNode; children?: never };

/**
 * A label, a control and its hint and error under it, tied together (aria-describedby) so the error is announced
 * with the control. Ids come from useId: several forms on one page may each have a "reason" field.
 */
function Field({ label, name, error, hint, id, control }: Omit<FieldProps, "children"> & { id?: string; control: (a: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode }) {
  const generated = useId();
  const fieldId = id ?? `${generated}-${name}`;
  const describedBy = [hint ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={fieldId} className="block text-sm font-medium text-slate-800 dark:text-slate-200">
        {label}
      </label>
      {control({ id: fieldId, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <p id={`${fieldId}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${fieldId}-error`} className="text-sm text-red-700 dark:text-red-400" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input whose error is announced and tied to it, shown right under it. */
export function TextField({ label, name, error, hint, id, ...props }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return <Field label={label} name={name} error={error} hint={hint} id={id} control={(a) => <input name={name} className={inputStyles} {...a} {...props} />} />;
}

export function SelectField({
  label,
  name,
  error,
  options,
  id,
  ...props
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  const generated = useId();
  const fieldId = id ?? `${generated}-${name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={fieldId} className="block text-sm font-medium text-slate-800 dark:text-slate-200">
        {label}
      </label>
      <select id={fieldId} name={name} aria-invalid={error ? true : undefined} aria-describedby={error ? `${fieldId}-error` : undefined} className={inputStyles} {...props}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={`${fieldId}-error`} className="text-sm text-red-700 dark:text-red-400" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled multi-line input, with the same error and hint wiring as TextField. */
export function TextAreaField({ label, name, error, hint, id, ...props }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <Field label={label} name={name} error={error} hint={hint} id={id} control={(a) => <textarea name={name} rows={3} className={inputStyles} {...a} {...props} />} />;
}
