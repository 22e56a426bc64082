import { describe, expect, it } from "vitest";
import { lockedErrorCode, lockoutMessage } from "./sign-in-message";

describe("the sign-in form's lockout message", () => {
  it.each([
    [0.2, "Too many failed sign-in attempts. Try again in 1 second."],
    [29.1, "Too many failed sign-in attempts. Try again in 30 seconds."],
    [60, "Too many failed sign-in attempts. Try again in 1 minute."],
    [61, "Too many failed sign-in attempts. Try again in 2 minutes."],
    [900, "Too many failed sign-in attempts. Try again in 15 minutes."],
  ])("a wait of %s s reads: %s", (seconds, message) => {
    expect(lockoutMessage(lockedErrorCode(seconds))).toBe(message);
  });

  it.each(["CredentialsSignin", "SignInLocked:", "SignInLocked:abc", "SignInLocked:12<script>", "", null, undefined])("other codes (%s) are not lockouts", (code) => {
    expect(lockoutMessage(code)).toBeNull();
  });
});
