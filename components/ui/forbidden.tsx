import { Alert } from "./layout";

export function Forbidden({ message }: { message: string }) {
  return (
    <div className="mx-auto max-w-xl">
      <Alert tone="error" title="You do not have access to this page">
        {message}
      </Alert>
    </div>
  );
}
